# The proxy's browser tests (headless Chromium driving the dev-server
# fixtures under proxy/testdata through the proxy, and through `brummer
# lsp`) are Go tests: `make test` runs them in gotest. They need Debian's
# chromium and `npm ci` in each fixture (both done by .ci/run); without
# them they skip, except under CI=true, where they fail.
.PHONY: proxy-browser proxy-bench

# Only the browser tests, failing (as in CI) when something is missing.
proxy-browser:
	CI=true $(GO) test -race -count=1 -timeout 10m -run 'Browser|Chromium' ./proxy/... ./lsp/

# The proxy's speed against a bare httputil.ReverseProxy and against
# direct page loads (also part of `make bench`).
proxy-bench:
	$(GO) test -run '^$$' -bench 'ProxyJSON|PageLoad' -benchmem -timeout 10m ./proxy
