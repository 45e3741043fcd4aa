package script

import "testing"

func TestTransactionOpenAfter(t *testing.T) {
	cases := []struct {
		open      bool
		statement string
		want      bool
	}{
		{false, "BEGIN", true},
		{false, "  -- note\n /* a /* nested */ comment */ begin transaction", true},
		{false, "START TRANSACTION", true},
		{true, "INSERT INTO t VALUES (1)", true},
		{true, "commit", false},
		{true, "/* x */ ROLLBACK", false},
		{true, "END", false},
		{false, "SELECT 'BEGIN'", false},
		{false, "-- BEGIN", false},
		{false, "BEGINNING", false},
		{false, "\uFEFFBEGIN", true},
		{false, "\u00a0\u200b(BEGIN)", true},
		{false, "\x1cBEGIN", true},
		{false, "BEGIN_LOAD", false},
		{false, "'BEGIN'", false},
	}
	for _, c := range cases {
		if got := TransactionOpenAfter(c.open, c.statement); got != c.want {
			t.Errorf("TransactionOpenAfter(%v, %q) = %v, want %v", c.open, c.statement, got, c.want)
		}
	}
}
