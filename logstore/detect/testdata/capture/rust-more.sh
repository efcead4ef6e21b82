#!/usr/bin/env bash
# Recaptures testdata/rust/short*.in, should-panic.in, build-script.in,
# lint-repeat.in and link-undefined.in from real cargo: the short message format, a
# #[should_panic] test that returned, a build script that panics (its
# lines indented under cargo's "--- stderr"), lints that fire more than
# once (rustc names the lint under the first warning only), and
# link-undefined.in: a symbol the linker (rust-lld) cannot find.
# Usage: bash testdata/capture/rust-more.sh   (from logstore/detect; needs cargo)
# Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/rust"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cd "$root"
export CARGO_TARGET_DIR="$root/target" RUST_BACKTRACE=0 CARGO_TERM_COLOR=never
save() {
	sed "s#$root#\$ROOT#g" > "$out/$1.in"
	echo "$2" > "$out/$1.dir"
	(cd "$root" && find "$2" -name '*.rs' -not -path '*/target/*' | sort) > "$out/$1.files"
}
new() { mkdir -p "$1/src"; printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2021"\n' "$1" > "$1/Cargo.toml"; }

new short
cat > short/src/main.rs <<'R'
fn main() {
    let unused = 1;
    let x: u8 = "a";
    println!("{}", y);
}
R
(cd short && cargo build --message-format=short 2>&1 | save short short) || true

new shouldpanic
cat > shouldpanic/src/lib.rs <<'R'
pub fn check(n: usize) -> usize {
    n
}

#[cfg(test)]
mod tests {
    #[test]
    #[should_panic]
    fn no_panic() {
        super::check(1);
    }
}
R
(cd shouldpanic && cargo test 2>&1 | save should-panic shouldpanic) || true

new buildscript
echo 'fn main() {}' > buildscript/src/main.rs
cat > buildscript/build.rs <<'R'
fn main() {
    let config = std::env::var("NO_SUCH_CONFIG");
    if config.is_err() {
        panic!("build script failed on purpose");
    }
}
R
(cd buildscript && cargo build 2>&1 | save build-script buildscript) || true

new lintrepeat
cat > lintrepeat/src/main.rs <<'R'
fn foo() {}
fn bar() {}
struct S;
fn main() {
    let a = 1;
    let b = 2;
    let mut c = 3;
    let mut d = 4;
    println!("{}{}", c, d);
}
R
(cd lintrepeat && cargo build 2>&1 | save lint-repeat lintrepeat) || true

new linkundef
cat > linkundef/src/main.rs <<'R'
unsafe extern "C" {
    fn missing_symbol(x: i32) -> i32;
}
fn main() {
    let v = unsafe { missing_symbol(3) };
    println!("{}", v);
}
R
(cd linkundef && cargo build 2>&1 | save link-undefined linkundef) || true
