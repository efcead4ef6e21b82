#!/usr/bin/env bash
# Recaptures testdata/rust/*.in from real cargo/rustc output.
# Usage: bash testdata/capture/rust.sh   (from logstore/detect; needs cargo, offline)
# Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/rust"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
export CARGO_TARGET_DIR="$root/target" CARGO_TERM_COLOR=always
cd "$root"
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }

cargo new --quiet --vcs none app
cat > app/src/main.rs <<'R'
mod util;

fn takes(s: String) -> usize {
    s.len()
}

fn main() {
    let x: i32 = "hello";
    let unused = 5;
    let v = vec![1, 2, 3];
    let n = takes(v);
    println!("{} {}", x, n + util::helper());
}
R
cat > app/src/util.rs <<'R'
pub fn helper() -> usize {
    let s = String::from("a");
    let t = s;
    s.len() + t.len()
}
R
(cd app && cargo build 2>&1 | save build) || true
echo app > "$out/build.dir"
# From a subdirectory: cargo still prints paths relative to the package root.
(cd app/src && cargo build 2>&1 | save build-subdir) || true
echo app/src > "$out/build-subdir.dir"
printf 'app/Cargo.toml\napp/src/main.rs\napp/src/util.rs\n' > "$out/build-subdir.files"
# From the parent with --manifest-path: paths stay relative to the package,
# which only the "Compiling app v0.1.0 (/abs/app)" line names.
touch app/src/main.rs
cargo build --manifest-path app/Cargo.toml 2>&1 | save build-manifest-path || true
echo . > "$out/build-manifest-path.dir"
printf 'app/Cargo.toml\napp/src/main.rs\napp/src/util.rs\n' > "$out/build-manifest-path.files"

cargo new --quiet --vcs none pan
cat > pan/src/main.rs <<'R'
fn parse(s: &str) -> i32 {
    s.parse::<i32>().expect("not a number")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() > 1 {
        let v: Vec<i32> = Vec::new();
        println!("{}", v[3]);
    }
    println!("{}", parse("x"));
}
R
(cd pan && cargo build -q 2>/dev/null && RUST_BACKTRACE=0 ./../target/debug/pan 2>&1 | save panic) || true
(cd pan && RUST_BACKTRACE=1 ./../target/debug/pan 2>&1 | save panic-backtrace) || true
(cd pan && RUST_BACKTRACE=1 ../target/debug/pan index 2>&1 | save panic-index) || true
for c in panic panic-backtrace panic-index; do echo pan > "$out/$c.dir"; done
# Warnings only, with rustc called directly.
cat > w.rs <<'R'
fn main() {
    let mut a = 1;
    println!("hi");
}
R
rustc --color always -o w w.rs 2>&1 | save rustc-warn || true
