package script

import (
	"strings"
	"unicode"
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

// LeadingKeyword is the statement's first word, upper-cased, past white space and comments (which
// DuckDB nests).
func LeadingKeyword(statement string) string {
	s := statement
	for len(s) > 0 {
		switch {
		case unicode.IsSpace(rune(s[0])):
			s = s[1:]
		case strings.HasPrefix(s, "--"):
			end := strings.IndexByte(s, '\n')
			if end < 0 {
				return ""
			}
			s = s[end+1:]
		case strings.HasPrefix(s, "/*"):
			depth := 0
			for {
				if strings.HasPrefix(s, "/*") {
					depth++
					s = s[2:]
				} else if strings.HasPrefix(s, "*/") {
					depth--
					s = s[2:]
				} else if len(s) > 0 {
					s = s[1:]
				}
				if depth == 0 || len(s) == 0 {
					break
				}
			}
		default:
			end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
			if end < 0 {
				end = len(s)
			}
			return strings.ToUpper(s[:end])
		}
	}
	return ""
}
