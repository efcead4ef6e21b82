#!/usr/bin/env bash
# Recaptures testdata/generic/* from real linters that have no parser of
# their own: yamllint, shellcheck, codespell, msgfmt. The .in files are golden
# cases of the built-in parsers (the generic fallback); the .txt files feed
# the user-matcher tests (matchers_test.go).
# Usage: bash testdata/capture/generic.sh   (from logstore/detect;
# needs: apt-get install yamllint shellcheck codespell gettext)
# Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/generic"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cd "$root"
save() { sed "s#$root#\$ROOT#g" > "$out/$1"; }
mkdir -p proj/conf proj/scripts proj/po
cat > proj/conf/app.yaml <<'Y'
name: app
items:
  - a
  -   b
key: value   
key: again
Y
cat > proj/scripts/run.sh <<'S'
#!/bin/sh
dir=$1
cd $dir
for f in `ls *.txt`; do echo $f; done
[ $x == 1 ] && echo same
S
cat > proj/README.txt <<'T'
Teh quick brown fox recieves the message.
T
cat > proj/po/de.po <<'P'
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "hello"
msgstr "hallo %s"

msgid "bye"
P
cd proj
yamllint -f parsable conf/app.yaml 2>&1 | save yamllint.in || true
shellcheck -f gcc scripts/run.sh 2>&1 | save shellcheck-gcc.in || true
shellcheck scripts/run.sh 2>&1 | save shellcheck-tty.in || true
cp "$out/shellcheck-tty.in" "$out/shellcheck-tty.txt"
cp "$out/shellcheck-gcc.in" "$out/shellcheck-gcc.txt"
cp "$out/yamllint.in" "$out/yamllint.txt"
codespell README.txt 2>&1 | save codespell.in || true
msgfmt -c -o /dev/null po/de.po 2>&1 | save msgfmt.in || true
cd ..
for c in yamllint shellcheck-gcc shellcheck-tty codespell msgfmt; do echo proj > "$out/$c.dir"; done
find proj -type f | sort > "$out/files.txt"
for c in yamllint shellcheck-gcc shellcheck-tty codespell msgfmt; do cp "$out/files.txt" "$out/$c.files"; done
rm "$out/files.txt"
