package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rng(l1, c1, l2, c2 int) Range {
	return Range{Start: Position{l1, c1}, End: Position{l2, c2}}
}

func TestParseManifestKeyRanges(t *testing.T) {
	// "é" is one UTF-16 unit, "𝒳" (U+1D4B3) two, "日本" two; columns count units.
	text := "{\n" +
		"  \"name\": \"démo\",\n" +
		"  \"scripts\": {\n" +
		"    \"dev\": \"vite\",\n" +
		"    \"𝒳\":\"a\", \"b\\\"q\" : \"b\",\r\n" +
		"\t\"日本\": \"echo 日本\"\n" +
		"  },\n" +
		"  \"devDependencies\": {\"scripts\": \"not these\"}\n" +
		"}\n"
	m := parseManifest("/w/package.json", []byte(text))
	require.NoError(t, m.Err)
	assert.Equal(t, "démo", m.Name)
	require.Len(t, m.Scripts, 4)
	want := []struct {
		name, cmd string
		r         Range
	}{
		{"dev", "vite", rng(3, 4, 3, 9)},
		{"𝒳", "a", rng(4, 4, 4, 8)},
		{`b"q`, "b", rng(4, 14, 4, 20)},
		{"日本", "echo 日本", rng(5, 1, 5, 5)},
	}
	for i, w := range want {
		s := m.Scripts[i]
		assert.Equal(t, w.name, s.Name)
		assert.Equal(t, w.cmd, s.Command)
		assert.Equal(t, w.r, s.Range, "range of %q", w.name)
		assert.Equal(t, "/w", s.Dir)
		assert.Equal(t, "/w/package.json", s.Manifest)
	}
}

func TestParseManifestDuplicateKeyLastWins(t *testing.T) {
	m := parseManifest("/w/package.json", []byte(`{"scripts": {"a": "one", "b": "x", "a": "two"}}`))
	require.NoError(t, m.Err)
	require.Len(t, m.Scripts, 2)
	assert.Equal(t, "two", m.Scripts[0].Command)
	assert.Equal(t, rng(0, 35, 0, 38), m.Scripts[0].Range)
}

func TestParseManifestErrors(t *testing.T) {
	cases := []struct{ text, want string }{
		{"{\n  \"scripts\": {\"a\": \"b\",}\n}", "/w/package.json:2:24: "},
		{"{\"scripts\": []}", `"scripts" must be an object`},
		{"", "/w/package.json:1:1: unexpected end of JSON"},
		{`{"packageManager": "npx@1"}`, `unknown package manager`},
		{`{"workspaces": 3}`, `"workspaces" must be an array`},
		{"{\"name\": \"日本\" x}", "/w/package.json:1:15: "},
	}
	for _, c := range cases {
		m := parseManifest("/w/package.json", []byte(c.text))
		require.Error(t, m.Err, "%q", c.text)
		assert.Contains(t, m.Err.Error(), c.want, "%q", c.text)
		assert.Empty(t, m.Scripts)
	}
}

func TestParseManifestWorkspacesAndField(t *testing.T) {
	m := parseManifest("/w/package.json", []byte(`{"packageManager": "pnpm@9.1.0+sha256.abc", "workspaces": ["a/*"]}`))
	require.NoError(t, m.Err)
	assert.Equal(t, PNPM, m.pmField)
	assert.Equal(t, []string{"a/*"}, m.workspaces)
	assert.Empty(t, m.Scripts)
}
