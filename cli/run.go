package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/spf13/cobra"

	"tarn.dev/cli/internal/javatext"
	"tarn.dev/cli/internal/server"
)

// pipelineAction is the Flight action that runs a pipeline (flight-server's PipelineAction.TYPE).
const pipelineAction = "tarn.run_pipeline"

// runCommand sends a pipeline project folder to a server, runs it, and prints each step as it starts
// and finishes, and the lines its Python models print, as they print them. Exits 0 when the run
// succeeded, 1 when it failed (the target branch is then unchanged), 2 when the project could not be
// read.
func runCommand() *cobra.Command {
	var options server.Options
	var branch string
	var dryRun bool
	var parameterTexts []string
	command := &cobra.Command{
		Use:   "run DIR",
		Short: "Run a pipeline project folder on a Tarn server, showing progress.",
		Args:  cobra.ExactArgs(1),
		RunE: func(command *cobra.Command, args []string) error {
			project := javaPath(validText(args[0]))
			parameters := map[string]string{}
			for _, text := range parameterTexts {
				text = validText(text)
				// split at the first '=' only: a value may hold '=' and ',' (pflag's map flag splits at commas)
				name, value, found := strings.Cut(text, "=")
				if !found {
					return fmt.Errorf("--param %s: expected NAME=VALUE", text)
				}
				parameters[name] = value
			}
			request, err := pipelineRequest(project, branch, command.Flags().Changed("branch"), dryRun, parameters)
			if err != nil {
				fmt.Fprintln(os.Stderr, "tarn run: "+err.Error())
				return exitError{2}
			}
			target := "main"
			if command.Flags().Changed("branch") {
				target = branch
			}
			return runPipeline(options, project, target, dryRun, request)
		},
	}
	serverFlags(command, &options)
	flags := command.Flags()
	stringFlag(flags, &branch, "branch", "", "", "branch to merge the results into (default: main)")
	boolFlag(flags, &dryRun, "dry-run", "run every model and expectation; commit nothing")
	flags.StringArrayVar(&parameterTexts, "param", nil, "a run parameter, NAME=VALUE (repeatable)")
	return command
}

// pipelineRequest is the project's top-level files as the server's action takes them.
func pipelineRequest(project, branch string, branchGiven, dryRun bool, parameters map[string]string) ([]byte, error) {
	if info, err := os.Stat(project); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("the project folder %s does not exist", project)
	}
	entries, err := os.ReadDir(project)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{} // encoding/json writes []byte as base64, as the action expects
	for _, entry := range entries {
		path := filepath.Join(project, entry.Name())
		if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() || !isProjectFile(entry.Name()) {
			continue
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		files[entry.Name()] = content
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s holds no *.py or *.sql models", project)
	}
	absolute, _ := filepath.Abs(project)
	request := map[string]any{
		"project":    filepath.Base(absolute),
		"branch":     nil,
		"dry_run":    dryRun,
		"parameters": parameters,
		"files":      files,
	}
	if branchGiven {
		request["branch"] = branch
	}
	return json.Marshal(request)
}

func isProjectFile(name string) bool {
	return strings.HasSuffix(name, ".py") || strings.HasSuffix(name, ".sql") || name == "tarn_project.yml" ||
		name == "bauplan_project.yml" || name == "bauplan_project.yaml"
}

func runPipeline(options server.Options, project, target string, dryRun bool, request []byte) error {
	client, ctx, err := options.Connect(context.Background())
	if err != nil {
		if server.IsCallError(err) {
			return runFailed(err)
		}
		return failed(err) // a mistake in the options, not a failed run
	}
	defer client.Close()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	dry := ""
	if dryRun {
		dry = " (dry run)"
	}
	fmt.Fprintf(out, "running %s%s on %s\n", project, dry, target)
	out.Flush()
	results, err := client.Client.DoAction(ctx, &flight.Action{Type: pipelineAction, Body: request})
	if err != nil {
		return runFailed(err)
	}
	for {
		result, err := results.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			out.Flush()
			return runFailed(err)
		}
		var event map[string]any
		decoder := json.NewDecoder(bytes.NewReader(result.Body))
		decoder.UseNumber()
		if err := decoder.Decode(&event); err != nil {
			return runFailed(err)
		}
		printEvent(event, out)
		out.Flush() // a person follows the run: each line shows as it comes
	}
}

// runFailed prints the server's message, which quotes a model's traceback: its lines kept, each cleaned.
func runFailed(err error) error {
	lines := javaLines(server.Message(err))
	for i, line := range lines {
		lines[i] = printable(line)
	}
	fmt.Fprintln(os.Stderr, "run failed: "+strings.Join(lines, "\n"))
	return exitError{1}
}

// javaLines splits text into lines as Java's String.lines does: at \n, \r or \r\n, with no empty last
// line after a final line break.
func javaLines(text string) []string {
	var lines []string
	for text != "" {
		end := strings.IndexAny(text, "\r\n")
		if end < 0 {
			return append(lines, text)
		}
		lines = append(lines, text[:end])
		if strings.HasPrefix(text[end:], "\r\n") {
			end++
		}
		text = text[end+1:]
	}
	return lines
}

// javaPath is a path as Java's Path prints it: repeated slashes as one, no trailing slash.
func javaPath(path string) string {
	for strings.Contains(path, "//") {
		path = strings.ReplaceAll(path, "//", "/")
	}
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	return path
}

// printable is a model's line as a terminal may show it: control characters (escape sequences that
// could move the cursor or retitle the window) become a visible '?', tabs stay.
func printable(line string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || !(isISOControl(r) || unicode.Is(unicode.Cf, r) && r != '\u200D') {
			return r
		}
		return '?'
	}, line)
}

func isISOControl(r rune) bool { return r <= 0x1F || (r >= 0x7F && r <= 0x9F) }

func printEvent(event map[string]any, out *bufio.Writer) {
	switch text(event, "event") {
	case "log":
		separator := " | "
		if text(event, "stream") == "stderr" {
			separator = " ! "
		}
		fmt.Fprintln(out, "    "+text(event, "step")+separator+printable(text(event, "line")))
		return
	case "step":
		status := text(event, "status")
		line := "  " + padRight(status, 9) + " " + padRight(text(event, "kind"), 12) + " " + text(event, "step")
		if status == "succeeded" {
			line += "  " + grouped(number(event, "rows")) + " rows, " + strconv.FormatInt(number(event, "duration_ms"), 10) + " ms"
		}
		if present(event, "materialized_as") {
			line += "  -> " + text(event, "materialized_as")
		}
		if present(event, "detail") {
			line += "  (" + text(event, "detail") + ")"
		}
		fmt.Fprintln(out, line)
		return
	}
	id := text(event, "run_id")
	switch {
	case event["dry_run"] == true:
		fmt.Fprintf(out, "dry run %s succeeded; nothing was committed\n", id)
	case present(event, "commit_hash"):
		fmt.Fprintf(out, "run %s succeeded: merged into %s as commit %s\n", id, text(event, "target_branch"), text(event, "commit_hash"))
	default:
		fmt.Fprintf(out, "run %s succeeded; it materialized nothing, so %s is unchanged\n", id, text(event, "target_branch"))
	}
}

// text is a field as text, as Jackson's asText reads it: "" when missing, "null" for null.
func text(event map[string]any, name string) string {
	value, ok := event[name]
	switch v := value.(type) {
	case nil:
		if ok {
			return "null"
		}
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	encoded, _ := json.Marshal(value)
	return string(encoded)
}

func number(event map[string]any, name string) int64 {
	if v, ok := event[name].(json.Number); ok {
		if n, err := v.Int64(); err == nil {
			return n
		}
	}
	return 0
}

func present(event map[string]any, name string) bool { return event[name] != nil }

// padRight pads to width UTF-16 units, as Java's %-Ns does.
func padRight(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-javatext.Length(s)))
}

// grouped writes a count with thousands separators: 1,234,567.
func grouped(n int64) string {
	digits := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var s strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			s.WriteByte(',')
		}
		s.WriteRune(d)
	}
	return sign + s.String()
}
