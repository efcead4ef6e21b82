#!/usr/bin/env bash
# Recaptures testdata/clean/dev-*.in: successful runs of real dev servers
# (vite, webpack-dev-server, nodemon, next dev, a `go run` server) that
# are served a few requests and see a file change. They must yield no
# problem (TestCleanOutputRaisesNothing). Run from logstore/detect; needs
# node+npm and go. DEV_TOOLS=dir reuses an npm project where vite@7,
# webpack@5, webpack-cli@6, webpack-dev-server@5, nodemon@3, next@15,
# react@19 and react-dom@19 are installed. Not run in CI.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)/clean"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
tools="${DEV_TOOLS:-}"
if [ -z "$tools" ]; then
	tools="$root/tools"
	mkdir -p "$tools" && (cd "$tools" && npm init -y >/dev/null &&
		npm i -D vite@7 webpack@5 webpack-cli@6 webpack-dev-server@5 nodemon@3 next@15 react@19 react-dom@19 >/dev/null 2>&1)
fi
mkdir -p "$root/app"
cd "$root/app"
ln -s "$tools/node_modules" node_modules
cat > package.json <<'J'
{ "name": "app", "version": "1.0.0", "private": true }
J
mkdir -p src pages
cat > index.html <<'H'
<!doctype html><html><body><div id="app"></div><script type="module" src="/src/main.js"></script></body></html>
H
cat > src/main.js <<'T'
import { greet } from "./greet.js";
document.getElementById("app").textContent = greet("world");
T
cat > src/greet.js <<'T'
export const greet = (name) => `hello ${name}`;
T
cat > webpack.config.js <<'T'
module.exports = { mode: "development", entry: "./src/main.js", devServer: { port: 0, static: "." } };
T
cat > server.js <<'T'
const http = require("http");
const s = http.createServer((req, res) => { console.log(`${new Date().toISOString()} ${req.method} ${req.url} 200`); res.end("ok"); });
s.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${s.address().port} (v1.2.3)`));
T
cat > pages/index.js <<'T'
export default function Home() { return <p>hello</p>; }
T
cat > main.go <<'T'
package main

import (
	"log"
	"net"
	"net/http"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lshortfile)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on http://%s", ln.Addr())
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s 200 %dB", r.Method, r.URL.Path, 2)
		w.Write([]byte("ok"))
	})
	log.Fatal(http.Serve(ln, nil))
}
T
printf 'module example.com/app\n\ngo 1.22\n' > go.mod
# run NAME CMD...: runs a server for a while, requests its URL, changes a
# file, and records what it printed.
run() {
	name=$1; shift
	"$@" > "$root/$name.log" 2>&1 &
	pid=$!
	url=""
	for _ in $(seq 1 300); do
		url=$(grep -o -m1 -E 'https?://(localhost|127\.0\.0\.1|\[::1\]):[0-9]+' "$root/$name.log" | head -1 || true)
		[ -n "$url" ] && break
		sleep 0.1
	done
	if [ -n "$url" ]; then
		curl -s -o /dev/null "$url/" || true
		curl -s -o /dev/null "$url/missing" || true
	fi
	sleep 1
	echo "export const greet = (name) => \`hi \${name}\`;" > src/greet.js
	touch server.js pages/index.js
	sleep 2
	[ -n "$url" ] && curl -s -o /dev/null "$url/" || true
	sleep 1
	kill -TERM $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	sed "s#$root#\$ROOT#g" "$root/$name.log" > "$here/$name.in"
	echo app > "$here/$name.dir"
	(cd "$root" && find app -path app/node_modules -prune -o -type f -print | grep -v -e '/\.next/' -e '/dist/' | sort) > "$here/$name.files"
}
export NEXT_TELEMETRY_DISABLED=1
for s in ${SERVERS:-vite webpack nodemon next go}; do
	case $s in
	vite) run dev-vite ./node_modules/.bin/vite --port 0 --strictPort false ;;
	webpack) run dev-webpack ./node_modules/.bin/webpack serve ;;
	nodemon) run dev-nodemon ./node_modules/.bin/nodemon server.js ;;
	next) run dev-next ./node_modules/.bin/next dev -p 0 ;;
	# What `go run .` runs (go run itself does not pass SIGINT on).
	go) go build -o "$root/server" . && run dev-go "$root/server" ;;
	esac
done
echo "vite@7 webpack-dev-server@5 nodemon@3 next@15, $(go version)" > "$here/dev.versions"
