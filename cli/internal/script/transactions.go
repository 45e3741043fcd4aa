package script

import (
	"strings"
	"unicode/utf8"
)

// TransactionOpenAfter says whether a transaction is open after statement ran without error, from
// its first word: tarn sql rolls back a transaction its script began and did not end, so that it
// never outlives the run (a session shared through an API token would otherwise hold it for the
// token's next client). The JVM client does the same (ScriptTransactions).
func TransactionOpenAfter(open bool, statement string) bool {
	switch LeadingKeyword(statement) {
	case "BEGIN", "START":
		return true
	case "COMMIT", "END", "ROLLBACK", "ABORT":
		return false
	}
	return open
}

// LeadingKeyword is the statement's first word, upper-cased, past white space, comments and opening
// parentheses as DuckDB skips them (a byte-order mark, Unicode and zero-width spaces, nested comments),
// as the server and the JVM client read it (SqlScripts.leadingKeyword).
func LeadingKeyword(statement string) string {
	t := statement
	i := 0
	for i < len(t) {
		r, width := utf8.DecodeRuneInString(t[i:])
		switch {
		case isSpace(r) || r == '(':
			i += width
		case strings.HasPrefix(t[i:], "--"):
			i = lineEnd(t, i)
		case strings.HasPrefix(t[i:], "/*"):
			i = blockCommentEnd(t, i)
		case isLetter(r) || r == '_':
			// a word as the lexer reads one (split.go, SqlScanner)
			end := runWhile(t, i+width, func(r rune) bool { return isLetterOrDigit(r) || r == '_' || r == '$' })
			return strings.ToUpper(t[i:end])
		default:
			return ""
		}
	}
	return ""
}
