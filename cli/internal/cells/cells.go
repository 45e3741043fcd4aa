// Package cells turns Arrow result cells into the values `tarn sql` prints, written exactly as the
// JVM client writes them (flight-server's CellValues and ResultPrinter), so that a script's output
// does not depend on which client ran it: numbers as Java prints them, dates and times as ISO-8601
// as java.time prints them, binaries as \x01\xAB text, lists as arrays and structs as objects.
package cells

import (
	"math/big"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// The value kinds Of returns besides nil, bool, int64, uint64 and string.
type (
	// Double is a 64-bit float, written as Java's Double.toString writes it.
	Double float64
	// Float is a 32-bit float, written as Java's Float.toString writes it.
	Float float32
	// Decimal is an exact number, written as Java's BigDecimal.toString writes it.
	Decimal struct {
		Unscaled *big.Int
		Scale    int32
	}
	// List is a list's (or a map's) elements.
	List []any
	// Struct is a struct's fields in order.
	Struct []Field
	// Field is one named value of a Struct (a map's entries are structs of key and value).
	Field struct {
		Name  string
		Value any
	}
)

// Of is the value of the cell in row of column: nil for SQL NULL.
func Of(column arrow.Array, row int) any {
	if column.IsNull(row) || column.DataType().ID() == arrow.NULL { // a NULL-typed column marks no row null
		return nil
	}
	switch a := column.(type) {
	case *array.Struct:
		fields := make(Struct, a.NumField())
		for j := range fields {
			fields[j] = Field{a.DataType().(*arrow.StructType).Field(j).Name, Of(a.Field(j), row)}
		}
		return fields
	case array.ListLike: // lists, large lists, fixed-size lists and maps (lists of key/value structs)
		start, end := a.ValueOffsets(row)
		values := make(List, 0, end-start)
		for i := start; i < end; i++ {
			values = append(values, Of(a.ListValues(), int(i)))
		}
		return values
	case *array.Dictionary:
		return Of(a.Dictionary(), a.GetValueIndex(row))
	case *array.DenseUnion: // the value of the member the row holds, as the JVM client prints it
		return Of(a.Field(a.ChildID(row)), int(a.ValueOffset(row)))
	case *array.SparseUnion:
		return Of(a.Field(a.ChildID(row)), row)
	}
	return scalar(column, row)
}

func scalar(column arrow.Array, row int) any {
	switch a := column.(type) {
	case *array.Boolean:
		return a.Value(row)
	case *array.Int8:
		return int64(a.Value(row))
	case *array.Int16:
		return int64(a.Value(row))
	case *array.Int32:
		return int64(a.Value(row))
	case *array.Int64:
		return a.Value(row)
	case *array.Uint8:
		return uint64(a.Value(row))
	case *array.Uint16:
		return uint64(a.Value(row))
	case *array.Uint32:
		return uint64(a.Value(row))
	case *array.Uint64:
		return a.Value(row)
	case *array.Float32:
		return Float(a.Value(row))
	case *array.Float64:
		return Double(a.Value(row))
	case *array.Decimal128:
		return Decimal{a.Value(row).BigInt(), a.DataType().(*arrow.Decimal128Type).Scale}
	case *array.Decimal256:
		return Decimal{a.Value(row).BigInt(), a.DataType().(*arrow.Decimal256Type).Scale}
	case *array.Date32:
		return localDate(int64(a.Value(row)))
	case *array.Date64:
		return localDate(floorDiv(int64(a.Value(row)), 86_400_000))
	case *array.Time32:
		return localTime(int64(a.Value(row)) * unitNanos(a.DataType().(*arrow.Time32Type).Unit))
	case *array.Time64:
		return localTime(int64(a.Value(row)) * unitNanos(a.DataType().(*arrow.Time64Type).Unit))
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType)
		seconds, nanos := split(int64(a.Value(row)), unit.Unit)
		if unit.TimeZone != "" {
			return instant(seconds, nanos)
		}
		return localDateTime(seconds, nanos)
	case *array.MonthDayNanoInterval:
		v := a.Value(row)
		return period(v.Months, v.Days) + " " + duration(v.Nanoseconds)
	case *array.String:
		return a.Value(row)
	case *array.LargeString:
		return a.Value(row)
	case *array.StringView:
		return a.Value(row)
	case *array.Binary:
		return hexBytes(a.Value(row))
	case *array.LargeBinary:
		return hexBytes(a.Value(row))
	case *array.BinaryView:
		return hexBytes(a.Value(row))
	case *array.FixedSizeBinary:
		return hexBytes(a.Value(row))
	}
	return column.ValueStr(row) // types DuckDB does not send (unions, durations, extensions)
}

// hexBytes is \x01\xAB: each byte in upper-case hex after \x.
func hexBytes(b []byte) string {
	const digits = "0123456789ABCDEF"
	var s strings.Builder
	s.Grow(4 * len(b))
	for _, c := range b {
		s.WriteString(`\x`)
		s.WriteByte(digits[c>>4])
		s.WriteByte(digits[c&15])
	}
	return s.String()
}

// Text is a value as one line of text for table and CSV output: nested values as compact JSON; ok is
// false for SQL NULL.
func Text(value any) (text string, ok bool) {
	switch v := value.(type) {
	case nil:
		return "", false
	case List, Struct:
		var s strings.Builder
		writeJSON(&s, v, false)
		return s.String(), true
	}
	return scalarText(value), true
}
