#!/usr/bin/env bash
# Recaptures testdata/gcc/*.in from real gcc and clang output.
# Usage: bash testdata/capture/gcc.sh   (from logstore/detect; needs gcc, clang, make)
# Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/gcc"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cd "$root"
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
mkdir -p proj/src proj/include
cat > proj/include/util.h <<'C'
#ifndef UTIL_H
#define UTIL_H
int add(int a, int b);
static inline int twice(int x) { return x * 2; }
#endif
C
cat > proj/src/main.c <<'C'
#include <stdio.h>
#include "util.h"

int main(void) {
    int unused;
    int n = add(1, 2, 3);
    char *s = 42;
    printf("%d %s\n", n);
    return undefined_var;
}
C
cat > proj/src/link.c <<'C'
int missing(void);
int main(void) { return missing(); }
C
cat > proj/src/warn.c <<'C'
#include <stdio.h>
static int f(int x) {
    int y;
    if (x = 3) printf("%s\n", x);
}
int main(void) { return f(1); }
C
cat > proj/src/fatal.c <<'C'
#include "nope.h"
int main(void) { return 0; }
C
cat > proj/src/tmpl.cpp <<'C'
#include <vector>
template <typename T>
T twice(T x) {
    return x.twice();
}
int main() {
    std::vector<int> v;
    v.push_back("x");
    return twice(3);
}
C
cd proj
g++ -fdiagnostics-color=always -c src/tmpl.cpp -o /dev/null 2>&1 | save gxx-template || true
clang++ -fcolor-diagnostics -c src/tmpl.cpp -o /dev/null 2>&1 | save clangxx-template || true
# Without the source snippet.
gcc -fno-diagnostics-show-caret -Wall -Iinclude -c src/main.c -o /dev/null 2>&1 | save gcc-nocaret || true
gcc -fdiagnostics-color=always -Wall -Wextra -Iinclude -c src/main.c -o /dev/null 2>&1 | save gcc-errors || true
clang -fcolor-diagnostics -Wall -Wextra -Iinclude -c src/main.c -o /dev/null 2>&1 | save clang-errors || true
gcc -fdiagnostics-color=always -Wall -Wextra -c src/warn.c -o /dev/null 2>&1 | save gcc-warn || true
clang -fcolor-diagnostics -Wall -Wextra -c src/warn.c -o /dev/null 2>&1 | save clang-warn || true
gcc -c src/fatal.c -o /dev/null 2>&1 | save gcc-fatal || true
clang -c src/fatal.c -o /dev/null 2>&1 | save clang-fatal || true
gcc src/link.c -o "$root/a.out" 2>&1 | save gcc-link || true
clang src/link.c -o "$root/a.out" 2>&1 | save clang-link || true
# With debug information ld names the source line.
gcc -g src/link.c -o "$root/a.out" 2>&1 | save gcc-link-g || true
# make runs the compiler from another directory and prints its directory changes.
cat > Makefile <<'M'
all:
	$(MAKE) -C src warn.o
M
printf 'warn.o: warn.c\n\tgcc -Wall -c warn.c -o /dev/null\n' > src/Makefile
make -w 2>&1 | save make || true
cd ..
find proj -type f | sort > "$out/make.files"
for c in gxx-template clangxx-template gcc-nocaret gcc-errors clang-errors gcc-warn clang-warn gcc-fatal clang-fatal gcc-link clang-link gcc-link-g make; do echo proj > "$out/$c.dir"; done
