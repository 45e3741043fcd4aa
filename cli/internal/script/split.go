// Package script splits a SQL script into statements the way Tarn's server-side lexer does
// (sql-frontend's SqlScanner): at semicolons outside quotes and comments.
//
// The rules, and the Java character classes they use, are kept exactly, since `tarn sql -f` must send
// the same statements whichever client runs it: single-quoted strings (” escapes, E'...' with
// backslash escapes), double-quoted identifiers, dollar-quoted strings ($$...$$, $tag$...$tag$), --
// comments and nested /* */ comments. Unterminated quotes and comments run to the end of the text.
package script

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"tarn.dev/cli/internal/javatext"
)

// Split returns the statements of a script, trimmed and without their semicolons; pieces holding
// nothing but white space and comments are dropped.
func Split(text string) []string {
	s := scanner{text: text}
	var statements []string
	pieceStart, pieceHasTokens := 0, false
	for {
		start, end, ok := s.next()
		if !ok {
			break
		}
		if end-start == 1 && text[start] == ';' {
			if pieceHasTokens {
				statements = append(statements, strip(text[pieceStart:start]))
			}
			pieceStart, pieceHasTokens = end, false
		} else {
			pieceHasTokens = true
		}
	}
	if pieceHasTokens {
		statements = append(statements, strip(text[pieceStart:]))
	}
	return statements
}

type scanner struct {
	text string
	pos  int
}

// next skips white space and comments and returns the byte range of the next token.
func (s *scanner) next() (start, end int, ok bool) {
	t := s.text
	n := len(t)
	for s.pos < n {
		i := s.pos
		c, width := utf8.DecodeRuneInString(t[i:])
		switch {
		case isSpace(c):
			s.pos += width
			continue
		case strings.HasPrefix(t[i:], "--"):
			s.pos = lineEnd(t, i)
			continue
		case strings.HasPrefix(t[i:], "/*"):
			s.pos = blockCommentEnd(t, i)
			continue
		case c == '\'':
			s.pos = quotedEnd(t, i, '\'', false)
		case (c == 'E' || c == 'e') && strings.HasPrefix(t[i+1:], "'"):
			s.pos = quotedEnd(t, i+1, '\'', true)
		case c == '"':
			s.pos = quotedEnd(t, i, '"', false)
		case c == '$' && dollarTagEnd(t, i) > 0:
			tagEnd := dollarTagEnd(t, i)
			tag := t[i:tagEnd]
			if close := strings.Index(t[tagEnd:], tag); close >= 0 {
				s.pos = tagEnd + close + len(tag)
			} else {
				s.pos = n
			}
		case isLetter(c) || c == '_':
			s.pos = runWhile(t, i+width, func(r rune) bool { return isLetterOrDigit(r) || r == '_' || r == '$' })
		case isDigit(c):
			s.pos = runWhile(t, i+width, func(r rune) bool { return isLetterOrDigit(r) || r == '.' || r == '_' })
		default:
			s.pos = i + width
		}
		return i, s.pos, true
	}
	return 0, 0, false
}

func runWhile(t string, i int, accept func(rune) bool) int {
	for i < len(t) {
		r, width := utf8.DecodeRuneInString(t[i:])
		if !accept(r) {
			break
		}
		i += width
	}
	return i
}

// lineEnd is the index after a -- comment: DuckDB ends it at a line feed or a carriage return.
func lineEnd(t string, start int) int {
	if end := strings.IndexAny(t[start:], "\n\r"); end >= 0 {
		return start + end + 1
	}
	return len(t)
}

func blockCommentEnd(t string, start int) int {
	depth := 0
	for i := start; i < len(t); {
		switch {
		case strings.HasPrefix(t[i:], "/*"):
			depth++
			i += 2
		case strings.HasPrefix(t[i:], "*/"):
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return len(t)
}

// quotedEnd is the index after the quoted text opening at start; a doubled quote is an escaped quote.
func quotedEnd(t string, start int, quote byte, backslashEscapes bool) int {
	for i := start + 1; i < len(t); {
		switch {
		case backslashEscapes && t[i] == '\\':
			_, width := utf8.DecodeRuneInString(t[min(i+1, len(t)):])
			i += 1 + width
		case t[i] == quote && i+1 < len(t) && t[i+1] == quote:
			i += 2
		case t[i] == quote:
			return i + 1
		default:
			i++
		}
	}
	return len(t)
}

// dollarTagEnd is the index after a dollar-quote opening tag at start ($$, $tag$), or -1 ($1 is a parameter).
func dollarTagEnd(t string, start int) int {
	i := start + 1
	if i < len(t) {
		if r, _ := utf8.DecodeRuneInString(t[i:]); isDigit(r) {
			return -1
		}
	}
	i = runWhile(t, i, func(r rune) bool { return isLetterOrDigit(r) || r == '_' })
	if i < len(t) && t[i] == '$' {
		return i + 1
	}
	return -1
}

// The Java lexer reads UTF-16 units: a character beyond the Basic Multilingual Plane is two
// surrogates, neither a letter nor a digit. Classing it the same way keeps the two splits equal.
func isLetter(r rune) bool        { return r <= 0xFFFF && unicode.IsLetter(r) }
func isDigit(r rune) bool         { return r <= 0xFFFF && unicode.IsDigit(r) }
func isLetterOrDigit(r rune) bool { return isLetter(r) || isDigit(r) }

// isSpace is white space as DuckDB reads it: Java's white space and space characters, the byte-order
// mark and the zero-width spaces, which DuckDB's parser skips.
func isSpace(r rune) bool {
	return javatext.IsWhitespace(r) || unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp) ||
		r == '\uFEFF' || r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060'
}

// strip trims as Java's String.strip does.
func strip(s string) string {
	return strings.TrimFunc(s, javatext.IsWhitespace)
}
