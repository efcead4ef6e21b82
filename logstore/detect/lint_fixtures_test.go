package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintFixturesNameTheirTool: each linter case in testdata names the
// tool's version it was recorded with (testdata/capture/lint-*.sh) or says
// that it was written from the tool's documented format because the tool
// does not install here (testdata/documented, testdata/sbt).
func TestLintFixturesNameTheirTool(t *testing.T) {
	recorded := []string{"stylelint", "remark", "tslint", "prettier", "svelte", "vue", "biome", "oxlint", "xo",
		"mypy", "flake8", "pylint", "black", "pydocstyle", "yamllint", "shellcheck", "puppet-lint", "rubocop",
		"php", "scalac", "javac", "maven", "gradle"}
	documented := []string{"documented", "sbt"}
	n := 0
	for _, dir := range append(recorded, documented...) {
		ins, _ := filepath.Glob(filepath.Join("testdata", dir, "*.in"))
		if len(ins) == 0 {
			t.Errorf("testdata/%s: no cases", dir)
		}
		for _, in := range ins {
			n++
			b, err := os.ReadFile(strings.TrimSuffix(in, ".in") + ".version")
			if err != nil {
				t.Errorf("%s: %v (say which version of the tool printed it)", in, err)
				continue
			}
			v := strings.TrimSpace(string(b))
			isDoc := strings.Contains(v, "documented")
			if want := dir == "documented" || dir == "sbt"; isDoc != want || v == "" {
				t.Errorf("%s: version %q (recorded cases name the version, documented ones say so)", in, v)
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d linter cases", n)
	}
}
