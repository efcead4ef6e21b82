# The VS Code extension (editors/vscode): unit tests against the server
# built from the tree, the end-to-end test in a real VS Code (code-server in
# headless Chromium), and the .vsix packages with the server bundled.
VSCODE      := editors/vscode
VSCODE_HOST := $(VSCODE)/test/e2e-host
VSCODE_VSIX := $(VSCODE)/build/brummer.vsix
# vsce's platform targets and the Go platform each one bundles.
VSCODE_TARGETS := linux-x64:linux/amd64 linux-arm64:linux/arm64 darwin-x64:darwin/amd64 \
                  darwin-arm64:darwin/arm64 win32-x64:windows/amd64 win32-arm64:windows/arm64

TESTS += vscode-test
E2E   += vscode-e2e

.PHONY: vscode-test vscode-e2e vscode-bin vscode-vsix vscode-packages vscode-host

# npm test: tsc --noEmit, then the unit tests (run.mjs builds the server).
vscode-test:
	cd $(VSCODE) && npm test

# The server for this machine, in the extension's bin/ (what the .vsix bundles).
vscode-bin:
	rm -rf $(VSCODE)/bin
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(VSCODE)/bin/brummer ./cmd/brummer

# A .vsix for this machine, with the server inside.
vscode-vsix: vscode-bin
	mkdir -p $(VSCODE)/build
	cd $(VSCODE) && npx vsce package --no-dependencies --skip-license -o build/brummer.vsix

# One .vsix per platform (vsce package --target), each with its own server.
vscode-packages:
	mkdir -p $(VSCODE)/build
	set -e; for t in $(VSCODE_TARGETS); do \
	  target=$${t%%:*}; goos=$${t#*:}; goarch=$${goos#*/}; goos=$${goos%/*}; \
	  exe=brummer; [ $$goos = windows ] && exe=brummer.exe; \
	  rm -rf $(VSCODE)/bin; \
	  CGO_ENABLED=0 GOOS=$$goos GOARCH=$$goarch $(GO) build -trimpath \
	    -ldflags "-s -w -X main.version=$(VERSION)" -o $(VSCODE)/bin/$$exe ./cmd/brummer; \
	  (cd $(VSCODE) && npx vsce package --no-dependencies --skip-license --target $$target -o build/brummer-$$target.vsix); \
	done
	rm -rf $(VSCODE)/bin

# code-server under Node 24 (npm-shrinkwrap.json; skipped when up to date).
vscode-host:
	bash $(VSCODE_HOST)/install.sh

# The extension in a real VS Code: screenshots go to editors/vscode/build/e2e.
vscode-e2e: vscode-vsix vscode-host
	cd $(VSCODE) && VSIX=$(CURDIR)/$(VSCODE_VSIX) node test/e2e/run.mjs
