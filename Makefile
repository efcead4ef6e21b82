# Brummer's build. `make test` is what CI runs (through .ci/run).
GO            ?= go
BIN           := bin/brummer
STATICCHECK   := honnef.co/go/tools/cmd/staticcheck@v0.8.2
VERSION       ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# The package managers the tests run for real (installed by .ci/run from tools/pm).
export PATH   := $(CURDIR)/tools/pm/node_modules/.bin:$(PATH)

.PHONY: build test gofmt vet gotest bench lint install clean

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/brummer

test: gofmt vet gotest

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
