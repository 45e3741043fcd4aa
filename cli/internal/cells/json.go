package cells

import (
	"strings"
	"unicode/utf8"
)

// WriteJSONRow writes one row as the JVM client's JSON lines do: {"id": 1, "name": "one"}, columns in
// order, a space after each colon and comma, nested values likewise.
func WriteJSONRow(out *strings.Builder, names []string, values []any) {
	out.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			out.WriteString(", ")
		}
		writeString(out, name)
		out.WriteString(": ")
		writeJSON(out, values[i], true)
	}
	out.WriteByte('}')
}

// writeJSON writes a value as Jackson writes it there: numbers as Java prints them, NaN and the
// infinities as strings (bare NaN is not JSON), lists as arrays, structs as objects, other values as
// strings. spaced puts a space after colons and commas (JSON lines); compact JSON has none (nested
// values in table and CSV output).
func writeJSON(out *strings.Builder, value any, spaced bool) {
	colon, comma := ":", ","
	if spaced {
		colon, comma = ": ", ", "
	}
	switch v := value.(type) {
	case nil:
		out.WriteString("null")
	case bool, int64, uint64, Decimal:
		out.WriteString(scalarText(v))
	case Double, Float:
		text := scalarText(v)
		if text == "NaN" || strings.HasSuffix(text, "Infinity") {
			writeString(out, text)
		} else {
			out.WriteString(text)
		}
	case List:
		out.WriteByte('[')
		for i, element := range v {
			if i > 0 {
				out.WriteString(comma)
			}
			writeJSON(out, element, spaced)
		}
		out.WriteByte(']')
	case Struct:
		out.WriteByte('{')
		for i, field := range v {
			if i > 0 {
				out.WriteString(comma)
			}
			writeString(out, field.Name)
			out.WriteString(colon)
			writeJSON(out, field.Value, spaced)
		}
		out.WriteByte('}')
	default:
		writeString(out, scalarText(v))
	}
}

// writeString quotes text as Jackson does: \" \\ \b \f \n \r \t short, other controls as \u00XX,
// everything else (non-ASCII included) as it is. encoding/json differs: it escapes <, >, &, U+2028
// and U+2029, which would make the two clients' lines differ.
func writeString(out *strings.Builder, text string) {
	const hex = "0123456789ABCDEF"
	out.WriteByte('"')
	for i := 0; i < len(text); {
		r, width := utf8.DecodeRuneInString(text[i:])
		i += width
		switch {
		case r == '"':
			out.WriteString(`\"`)
		case r == '\\':
			out.WriteString(`\\`)
		case r == '\b':
			out.WriteString(`\b`)
		case r == '\f':
			out.WriteString(`\f`)
		case r == '\n':
			out.WriteString(`\n`)
		case r == '\r':
			out.WriteString(`\r`)
		case r == '\t':
			out.WriteString(`\t`)
		case r < 0x20:
			out.WriteString(`\u00`)
			out.WriteByte(hex[r>>4])
			out.WriteByte(hex[r&15])
		default:
			out.WriteRune(r) // an invalid byte becomes U+FFFD, as the JVM decodes it
		}
	}
	out.WriteByte('"')
}
