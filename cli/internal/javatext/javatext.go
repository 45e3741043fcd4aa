// Package javatext answers the questions about text that the JVM client answers with Java's String
// and Character, where Go's own answers differ: what is white space, and how long a string is. The
// Go client uses it wherever its output must match the JVM client's byte for byte.
package javatext

import (
	"unicode"
	"unicode/utf16"
)

// IsWhitespace is Java's Character.isWhitespace: separators other than the non-breaking spaces, and
// the ASCII controls \t \n \v \f \r and 0x1C to 0x1F. (Go's unicode.IsSpace also counts U+0085 and the
// non-breaking spaces.)
func IsWhitespace(r rune) bool {
	if r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' || (r >= 0x1C && r <= 0x1F) {
		return true
	}
	return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp) && r != '\u00A0' && r != '\u2007' && r != '\u202F'
}

// Length is Java's String.length: UTF-16 units, two for a character beyond the Basic Multilingual
// Plane. Java pads (%-10s) and aligns by it.
func Length(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
