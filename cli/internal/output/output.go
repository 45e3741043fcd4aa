// Package output prints `tarn sql` results as an aligned table, CSV or JSON lines, exactly as the JVM
// client does (flight-server's ResultPrinter).
package output

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"tarn.dev/cli/internal/cells"
	"tarn.dev/cli/internal/javatext"
)

// A Printer receives one statement's result: its columns, its batches, then the end.
type Printer interface {
	Start(schema *arrow.Schema)
	Batch(batch arrow.RecordBatch)
	Finish()
}

// New is the printer for a format: table, csv or json.
func New(format string, out *bufio.Writer) (Printer, error) {
	switch format {
	case "table":
		return &table{out: out}, nil
	case "csv":
		return &csvPrinter{out: out}, nil
	case "json":
		return &jsonLines{out: out}, nil
	}
	return nil, fmt.Errorf("unknown format %q: expected one of table, csv, json", format)
}

func names(schema *arrow.Schema) []string {
	columns := make([]string, schema.NumFields())
	for i, field := range schema.Fields() {
		columns[i] = field.Name
	}
	return columns
}

func row(batch arrow.RecordBatch, r int) []any {
	values := make([]any, batch.NumCols())
	for c := range values {
		values[c] = cells.Of(batch.Column(c), r)
	}
	return values
}

// table buffers rows to align columns: CI results are small, large ones belong in csv or json.
type table struct {
	out     *bufio.Writer
	columns []string
	rows    [][]string
}

func (t *table) Start(schema *arrow.Schema) { t.columns = names(schema) }

func (t *table) Batch(batch arrow.RecordBatch) {
	for r := 0; r < int(batch.NumRows()); r++ {
		line := make([]string, len(t.columns))
		for c, value := range row(batch, r) {
			if text, ok := cells.Text(value); ok {
				line[c] = text
			} else {
				line[c] = "NULL"
			}
		}
		t.rows = append(t.rows, line)
	}
}

func (t *table) Finish() {
	if len(t.columns) == 0 {
		t.out.WriteString("OK\n")
		return
	}
	widths := make([]int, len(t.columns))
	for c, name := range t.columns {
		widths[c] = javatext.Length(name)
		for _, line := range t.rows {
			widths[c] = max(widths[c], javatext.Length(line[c]))
		}
	}
	t.line(t.columns, widths)
	for c, w := range widths {
		if c > 0 {
			t.out.WriteString("-+-")
		}
		t.out.WriteString(strings.Repeat("-", w))
	}
	t.out.WriteString("\n")
	for _, line := range t.rows {
		t.line(line, widths)
	}
	if len(t.rows) == 1 {
		t.out.WriteString("(1 row)\n")
	} else {
		t.out.WriteString("(" + strconv.Itoa(len(t.rows)) + " rows)\n")
	}
}

func (t *table) line(cellTexts []string, widths []int) {
	var line strings.Builder
	for c, text := range cellTexts {
		if c > 0 {
			line.WriteString(" | ")
		}
		line.WriteString(text)
		line.WriteString(strings.Repeat(" ", max(1, widths[c])-javatext.Length(text))) // Java's %-Ns pads to at least one
	}
	t.out.WriteString(strings.TrimRightFunc(line.String(), javatext.IsWhitespace) + "\n")
}

// csvPrinter writes RFC 4180 CSV with Apache Commons CSV's minimal quoting, as the JVM client does: a
// header line, then a record per row, NULL as an empty field, lines ended by \n. Go's encoding/csv
// quotes by other rules (a leading space, not a leading '#'), so the rules are written out here.
type csvPrinter struct {
	out     *bufio.Writer
	columns []string
}

func (p *csvPrinter) Start(schema *arrow.Schema) {
	p.columns = names(schema)
	if len(p.columns) > 0 {
		for c, name := range p.columns {
			p.field(name, true, c == 0)
		}
		p.out.WriteString("\n")
	}
}

func (p *csvPrinter) Batch(batch arrow.RecordBatch) {
	for r := 0; r < int(batch.NumRows()); r++ {
		for c, value := range row(batch, r) {
			text, ok := cells.Text(value)
			p.field(text, ok, c == 0)
		}
		p.out.WriteString("\n")
	}
}

func (p *csvPrinter) field(text string, notNull, first bool) {
	if !first {
		p.out.WriteByte(',')
	}
	if notNull && needsQuotes(text, first) {
		p.out.WriteString(`"` + strings.ReplaceAll(text, `"`, `""`) + `"`)
	} else {
		p.out.WriteString(text)
	}
}

// needsQuotes is Commons CSV's minimal quoting: an empty first field (else the line would read as no
// field), a value starting with a character up to '#' or ending with one up to a space, or one holding
// a comma, a quote or a line break.
func needsQuotes(text string, first bool) bool {
	if text == "" {
		return first
	}
	return text[0] <= '#' || text[len(text)-1] <= ' ' || strings.ContainsAny(text, ",\"\r\n")
}

func (p *csvPrinter) Finish() {}

// jsonLines writes one JSON object per row.
type jsonLines struct {
	out     *bufio.Writer
	columns []string
}

func (p *jsonLines) Start(schema *arrow.Schema) { p.columns = names(schema) }

func (p *jsonLines) Batch(batch arrow.RecordBatch) {
	for r := 0; r < int(batch.NumRows()); r++ {
		var line strings.Builder
		cells.WriteJSONRow(&line, p.columns, row(batch, r))
		p.out.WriteString(line.String() + "\n")
	}
}

func (p *jsonLines) Finish() {}
