# Brummer's build. `make test` is what CI runs (through .ci/run).
GO            ?= go
BIN           := bin/brummer
STATICCHECK   := honnef.co/go/tools/cmd/staticcheck@v0.8.2
VERSION       ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# The package managers the tests run for real (installed by .ci/run from tools/pm).
export PATH   := $(CURDIR)/tools/pm/node_modules/.bin:$(PATH)

.PHONY: build test e2e gofmt vet gotest bench lint install clean

# Parts with tests of their own (the editor clients) add their targets to
# TESTS (run by `make test`) and E2E (run by `make e2e`) in mk/*.mk.
TESTS := gofmt vet gotest
E2E   :=
include $(sort $(wildcard mk/*.mk))

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/brummer

test: $(TESTS)

# End-to-end tests in the real editors (installed by .ci/run).
e2e: $(E2E)

gofmt:
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './tools/*')); \
	if [ -n "$$bad" ]; then echo "gofmt wants to rewrite:"; echo "$$bad"; exit 1; fi

vet:
	$(GO) vet ./...

gotest:
	$(GO) test -race -count=1 -timeout 12m ./...

# Benchmarks: each reports its ratio against a baseline measured in the same run.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m ./...

lint:
	$(GO) run $(STATICCHECK) ./...

install:
	$(GO) install -ldflags "-X main.version=$(VERSION)" ./cmd/brummer

clean:
	rm -rf bin
