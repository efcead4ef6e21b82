package lsp

import "testing"

func TestApplyEdit(t *testing.T) {
	pos := func(l, c int) wirePosition { return wirePosition{l, c} }
	for _, tc := range []struct {
		name, text string
		start, end wirePosition
		repl, want string
	}{
		{"insert after an emoji", "a😀b\n", pos(0, 3), pos(0, 3), "X", "a😀Xb\n"},
		{"replace the emoji", "a😀b\n", pos(0, 1), pos(0, 3), "é", "aéb\n"},
		{"inside a surrogate pair rounds down", "a😀b", pos(0, 2), pos(0, 2), "X", "aX😀b"},
		{"second line after CRLF", "ü\r\nxy\r\n", pos(1, 1), pos(1, 2), "Z", "ü\r\nxZ\r\n"},
		{"lone CR ends a line", "a\rbc", pos(1, 0), pos(1, 1), "", "a\rc"},
		{"join lines", "ab\ncd\n", pos(0, 2), pos(1, 0), "", "abcd\n"},
		{"column past the line's end", "ab\ncd", pos(0, 99), pos(0, 99), "!", "ab!\ncd"},
		{"line past the end", "ab", pos(7, 0), pos(7, 0), "\nz", "ab\nz"},
		{"CJK counts one unit each", "日本語", pos(0, 1), pos(0, 2), "x", "日x語"},
	} {
		got, err := applyEdit([]byte(tc.text), wireRange{tc.start, tc.end}, tc.repl)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if _, err := applyEdit([]byte("abc"), wireRange{pos(0, 2), pos(0, 1)}, ""); err == nil {
		t.Error("a range that ends before it starts was applied")
	}
	if _, err := applyEdit([]byte("abc"), wireRange{pos(-1, 0), pos(0, 1)}, ""); err == nil {
		t.Error("a negative line was applied")
	}
}
