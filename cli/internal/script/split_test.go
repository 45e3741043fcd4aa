package script

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		name   string
		script string
		want   []string
	}{
		{"two statements", "SELECT 1; SELECT 2;", []string{"SELECT 1", "SELECT 2"}},
		{"no final semicolon", "SELECT 1;\n  SELECT 2  ", []string{"SELECT 1", "SELECT 2"}},
		{"semicolon in a string", "SELECT 'a;b'; SELECT 2", []string{"SELECT 'a;b'", "SELECT 2"}},
		{"doubled quote", "SELECT 'it''s;'; SELECT 2", []string{"SELECT 'it''s;'", "SELECT 2"}},
		{"backslash escape", `SELECT E'\';'; SELECT 2`, []string{`SELECT E'\';'`, "SELECT 2"}},
		{"plain string keeps backslash", `SELECT '\'; SELECT 2`, []string{`SELECT '\'`, "SELECT 2"}},
		{"quoted identifier", `SELECT 1 AS "a;b"; SELECT 2`, []string{`SELECT 1 AS "a;b"`, "SELECT 2"}},
		{"dollar quote", "SELECT $$a;b$$; SELECT $tag$x;$$;y$tag$", []string{"SELECT $$a;b$$", "SELECT $tag$x;$$;y$tag$"}},
		{"parameter is no dollar quote", "SELECT $1; SELECT $2", []string{"SELECT $1", "SELECT $2"}},
		{"dollar inside a word", "SELECT a$b$; SELECT 2", []string{"SELECT a$b$", "SELECT 2"}},
		{"line comment", "SELECT 1 -- a;b\n; SELECT 2", []string{"SELECT 1 -- a;b", "SELECT 2"}},
		{"comment ends at carriage return", "SELECT 1 -- x\r; SELECT 2", []string{"SELECT 1 -- x", "SELECT 2"}},
		{"nested block comment", "SELECT /* a /* ; */ ; */ 1; SELECT 2", []string{"SELECT /* a /* ; */ ; */ 1", "SELECT 2"}},
		{"comment-only pieces dropped", "-- nothing\n; /* nor */ ;\n SELECT 1", []string{"SELECT 1"}},
		{"empty", "  ;; \n", nil},
		{"unterminated string runs to the end", "SELECT 'a; SELECT 2", []string{"SELECT 'a; SELECT 2"}},
		{"zero-width space is space", "\u200B;SELECT 1", []string{"SELECT 1"}},
		{"no-break space is space but not stripped", "SELECT 1\u00A0;", []string{"SELECT 1\u00A0"}},
		{"unicode words", "SELECT 'ü😀' AS naïve; SELECT 2", []string{"SELECT 'ü😀' AS naïve", "SELECT 2"}},
		{"astral letter ends a word", "SELECT a𝑥$t$;$t$; SELECT 2", []string{"SELECT a𝑥$t$;$t$", "SELECT 2"}},
	}
	for _, c := range cases {
		if got := Split(c.script); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: Split(%q) = %q, want %q", c.name, c.script, got, c.want)
		}
	}
}
