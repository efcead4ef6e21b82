# The Neovim plugin's headless suite (editors/nvim/test), run in the
# installed Neovim against the brummer binary built from this tree.
NVIM_BIN ?= nvim
TESTS += nvim-test
.PHONY: nvim-test
nvim-test: build
	BRUMMER_BIN=$(CURDIR)/$(BIN) NVIM_BIN=$(NVIM_BIN) editors/nvim/test/run.sh
