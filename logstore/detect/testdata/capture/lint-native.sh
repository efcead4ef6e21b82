#!/usr/bin/env bash
# Recaptures the linters of Debian's packages into testdata/<family>/*.in:
# mypy (default, no columns), flake8, pylint, black, pydocstyle, yamllint,
# shellcheck, puppet-lint, rubocop, php, scalac, javac, maven and their
# clean runs (testdata/clean/*). The tool's version is in the .version
# file beside each .in.
# Usage: bash testdata/capture/lint-native.sh   (from logstore/detect;
# needs: apt-get install python3-mypy flake8 pylint black pydocstyle
# yamllint shellcheck puppet-lint rubocop php-cli scala default-jdk maven
# gradle libmaven-compiler-plugin-java junit5: maven runs offline on
# Debian's repository of plugins)
# Not run in CI.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cd "$root"
mkdir -p proj/app proj/conf proj/scripts proj/manifests proj/lib proj/web proj/scala \
	proj/java/src/main/java/demo
cd proj
save() {
	mkdir -p "$here/$1"
	sed "s#$root#\$ROOT#g" > "$here/$1/$2.in"
	echo proj > "$here/$1/$2.dir"
	(cd "$root" && find proj -type f -not -path '*/target/*' | sort) > "$here/$1/$2.files"
	echo "$3" > "$here/$1/$2.version"
}
export PYTHONDONTWRITEBYTECODE=1
touch app/__init__.py
cat > app/typed.py <<'P'
import os


def f(x: int) -> str:
    return x


y: int = "a"
reveal_type(y)
P
cat > app/broken.py <<'P'
def g(:
    pass
P
cat > app/style.py <<'P'
class thing:
    def run(self):
        return 1
P
cat > app/ugly.py <<'P'
x = [1,2,
  3]
P
cat > app/ok.py <<'P'
"""Fine."""


def one() -> int:
    """Return one."""
    return 1
P
cat > conf/app.yaml <<'Y'
name: app
items:
  - a
  -   b
key: value   
key: again
Y
cat > conf/ok.yaml <<'Y'
---
name: ok
Y
cat > scripts/run.sh <<'S'
#!/bin/sh
dir=$1
cd $dir
[ $x == 1 ] && echo same
S
cat > scripts/ok.sh <<'S'
#!/bin/sh
echo "fine"
S
cat > manifests/init.pp <<'P'
class demo {
  file { "/tmp/x":
    ensure => present,
    mode => '644',
  }
}
P
cat > manifests/ok.pp <<'P'
# @summary A fine class.
class ok {
  file { '/tmp/ok':
    ensure => file,
  }
}
P
cat > lib/thing.rb <<'R'
class Thing
  def run( x )
    y = 1
    return x+1
  end
end
R
cat > lib/ok.rb <<'R'
# frozen_string_literal: true

# A fine class.
class Ok
  def run
    1
  end
end
R
cat > web/index.php <<'P'
<?php
echo "hi"
$x = 1;
P
cat > web/ok.php <<'P'
<?php
echo "ok\n";
P
cat > scala/Main.scala <<'S'
object Main {
  def main(args: Array[String]): Unit = {
    val n: Int = "three"
    println(undefinedName)
  }
}
S
cat > scala/Ok.scala <<'S'
object Ok {
  def main(args: Array[String]): Unit = println("ok")
}
S
cat > java/src/main/java/demo/App.java <<'J'
package demo;

public class App {
    public static void main(String[] args) {
        int n = "three";
        System.out.println(missing);
    }
}
J
cat > java/pom.xml <<'X'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>demo</groupId>
  <artifactId>demo</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.source>17</maven.compiler.source>
    <maven.compiler.target>17</maven.compiler.target>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
</project>
X
echo "apply plugin: 'java'" > java/build.gradle
v() { "$@" 2>&1 | head -1; }
/usr/bin/python3 -m mypy --no-incremental app/typed.py 2>&1 | save mypy default "$(v /usr/bin/python3 -m mypy --version)" || true
/usr/bin/python3 -m mypy --no-incremental app/ok.py 2>&1 | save clean mypy-ok "$(v /usr/bin/python3 -m mypy --version)" || true
flake8 app 2>&1 | save flake8 errors "flake8 $(v flake8 --version)" || true
flake8 app/ok.py 2>&1 | save clean flake8-ok "flake8 $(v flake8 --version)" || true
pylint app/style.py app/typed.py 2>&1 | save pylint errors "$(v pylint --version)" || true
pylint app/ok.py 2>&1 | save clean pylint-ok "$(v pylint --version)" || true
black --check app 2>&1 | save black check "$(v black --version)" || true
black --check app/ok.py 2>&1 | save clean black-ok "$(v black --version)" || true
pydocstyle app/style.py app/typed.py 2>&1 | save pydocstyle errors "pydocstyle $(v pydocstyle --version)" || true
pydocstyle app/ok.py 2>&1 | save clean pydocstyle-ok "pydocstyle $(v pydocstyle --version)" || true
yamllint conf/app.yaml 2>&1 | save yamllint standard "$(v yamllint --version)" || true
yamllint -f parsable conf/app.yaml 2>&1 | save yamllint parsable "$(v yamllint --version)" || true
yamllint conf/ok.yaml 2>&1 | save clean yamllint-ok "$(v yamllint --version)" || true
shellcheck scripts/run.sh 2>&1 | save shellcheck tty "shellcheck $(shellcheck --version | sed -n 2p)" || true
shellcheck -f gcc scripts/run.sh 2>&1 | save shellcheck gcc "shellcheck $(shellcheck --version | sed -n 2p)" || true
shellcheck scripts/ok.sh 2>&1 | save clean shellcheck-ok "shellcheck $(shellcheck --version | sed -n 2p)" || true
puppet-lint manifests 2>&1 | save puppet-lint default "$(v puppet-lint --version)" || true
puppet-lint manifests/ok.pp 2>&1 | save clean puppet-lint-ok "$(v puppet-lint --version)" || true
rubocop --no-color lib/thing.rb 2>&1 | save rubocop default "rubocop $(v rubocop --version)" || true
rubocop --no-color --format emacs lib/thing.rb 2>&1 | save rubocop emacs "rubocop $(v rubocop --version)" || true
rubocop --no-color lib/ok.rb 2>&1 | save clean rubocop-ok "rubocop $(v rubocop --version)" || true
php -l web/index.php 2>&1 | save php lint "$(v php --version)" || true
php -d display_errors=stderr web/index.php 2>&1 | save php run "$(v php --version)" || true
php -l web/ok.php 2>&1 | save clean php-ok "$(v php --version)" || true
(mkdir -p "$root/out" && scalac -d "$root/out" scala/Main.scala) 2>&1 | save scalac errors "$(v scalac -version)" || true
scalac -d "$root/out" scala/Ok.scala 2>&1 | save clean scalac-ok "$(v scalac -version)" || true
javac -d "$root/out" java/src/main/java/demo/App.java 2>&1 | save javac errors "$(v javac -version)" || true
mvnc() { mvn -B -o -Dmaven.repo.local=/usr/share/maven-repo "$@" org.apache.maven.plugins:maven-compiler-plugin:3.10.1:compile 2>&1 |
	grep -v -e '^\[WARNING\] The POM for' -e '^\[WARNING\] Failed to retrieve plugin descriptor'; }
(cd java && mvnc) | save maven compile "$(v mvn -v | sed 's/\x1b\[[0-9;]*m//g')" || true
(cd java && gradle --offline --no-daemon -q compileJava) 2>&1 | save gradle java "$(gradle --version 2>&1 | grep '^Gradle')" || true
# Without -q: its errors on stderr (a pipe of both streams would put
# them behind stdout's ":compileJava" progress, on one line).
(cd java && gradle --offline --no-daemon compileJava 2>&1 >/dev/null) | save gradle java-stderr "$(gradle --version 2>&1 | grep '^Gradle')" || true
(cd java && rm -rf build .gradle)
