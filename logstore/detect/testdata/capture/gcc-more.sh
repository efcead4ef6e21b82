#!/usr/bin/env bash
# Recaptures testdata/gcc/spaces*.in and ld-prefix.in from real gcc and GNU
# ld: diagnostics on paths with spaces, and the linker's lines that begin
# with its own path ("/usr/bin/ld: /abs/a.c:6: undefined reference").
# Usage: bash testdata/capture/gcc-more.sh   (from logstore/detect; needs gcc)
# Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/gcc"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cd "$root"
save() {
	sed "s#$root#\$ROOT#g" > "$out/$1.in"
	echo "$2" > "$out/$1.dir"
	(cd "$root" && find "$2" -type f -name '*.[ch]' | sort) > "$out/$1.files"
}
mkdir -p "my proj/sub dir" link/src
printf 'int main(void) { return nope; }\n' > "my proj/sub dir/c file.c"
(cd "my proj" && gcc -c "sub dir/c file.c" -o /dev/null 2>&1 | save spaces "my proj") || true
(cd "my proj" && gcc -c "$root/my proj/sub dir/c file.c" -o /dev/null 2>&1 | save spaces-abs "my proj") || true
cat > link/src/main.c <<'C'
void foo(void);
void bar(void);

int main(void) {
	bar();
	foo();
	return 0;
}
C
cat > link/src/other.c <<'C'
void foo(void);

void baz(void) { foo(); }
C
(cd link && gcc -g "$root/link/src/main.c" "$root/link/src/other.c" -o "$root/a.out" 2>&1 | save ld-prefix link) || true
