package core

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// benchManifest is a realistic package.json: metadata, 40 scripts, 60
// dependencies.
func benchManifest() []byte {
	var b strings.Builder
	b.WriteString("{\n  \"name\": \"@acme/web\",\n  \"version\": \"3.2.1\",\n  \"private\": true,\n  \"packageManager\": \"pnpm@9.1.0\",\n  \"scripts\": {\n")
	for i := range 40 {
		sep := ","
		if i == 39 {
			sep = ""
		}
		fmt.Fprintf(&b, "    \"task:%d\": \"vite build --mode production --outDir dist/%d && tsc -b\"%s\n", i, i, sep)
	}
	b.WriteString("  },\n  \"dependencies\": {\n")
	for i := range 60 {
		sep := ","
		if i == 59 {
			sep = ""
		}
		fmt.Fprintf(&b, "    \"package-%d\": \"^%d.%d.0\"%s\n", i, i%7, i%13, sep)
	}
	b.WriteString("  }\n}\n")
	return []byte(b.String())
}

// BenchmarkManifest compares parseManifest (fields, scripts in order, key
// ranges) with the baseline of decoding the same bytes into a map, which
// gives none of that. Report the ratio of the two ns/op.
func BenchmarkManifest(b *testing.B) {
	text := benchManifest()
	b.Run("baseline-unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			var v map[string]any
			if err := json.Unmarshal(text, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parseManifest", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			m := parseManifest("/w/package.json", text)
			if m.Err != nil || len(m.Scripts) != 40 {
				b.Fatal(m.Err, len(m.Scripts))
			}
		}
	})
}
