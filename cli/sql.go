package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"github.com/spf13/cobra"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"tarn.dev/cli/internal/output"
	"tarn.dev/cli/internal/script"
	"tarn.dev/cli/internal/server"
)

// sqlCommand runs statements against a server, for CI scripts: it stops at the first failing
// statement, prints it with its error, and exits 1; a script that cannot be read exits 2.
func sqlCommand() *cobra.Command {
	var options server.Options
	var execute, file, branch, format string
	command := &cobra.Command{
		Use:   "sql (-e SQL | -f FILE)",
		Short: "Run SQL statements on a Tarn server (one with -e, a script with -f).",
		Args:  cobra.NoArgs,
		RunE: func(command *cobra.Command, _ []string) error {
			if _, err := output.New(format, nil); err != nil { // an option mistake comes first, as picocli finds it
				return err
			}
			text := execute
			if command.Flags().Changed("file") {
				read, err := readScript(file)
				if err != nil {
					fmt.Fprintf(os.Stderr, "tarn sql: cannot read the script %s: %s\n", file, err)
					return exitError{2}
				}
				text = read
			}
			return runStatements(options, script.Split(text), branch, format)
		},
	}
	serverFlags(command, &options)
	flags := command.Flags()
	stringFlag(flags, &execute, "execute", "e", "", "statements to run")
	stringFlag(flags, &file, "file", "f", "", "a script of statements separated by ';'")
	stringFlag(flags, &branch, "branch", "", "", "reference to work on (sent as the 'branch' header)")
	stringFlag(flags, &format, "format", "", "table", "table, csv or json")
	command.MarkFlagsOneRequired("execute", "file")
	command.MarkFlagsMutuallyExclusive("execute", "file")
	return command
}

// readScript reads a script file, named in words when it cannot be: a missing file, a folder, bytes
// that are not UTF-8.
func readScript(path string) (string, error) {
	data, err := os.ReadFile(path)
	switch {
	case os.IsNotExist(err):
		return "", fmt.Errorf("no such file")
	case os.IsPermission(err):
		return "", fmt.Errorf("permission denied")
	case err != nil:
		if info, statErr := os.Stat(path); statErr == nil && info.IsDir() {
			return "", fmt.Errorf("it is a folder")
		}
		return "", err
	case !utf8.Valid(data):
		return "", fmt.Errorf("it is not UTF-8 text")
	}
	return string(data), nil
}

func runStatements(options server.Options, statements []string, branch, format string) error {
	interrupt := onInterrupt()
	defer interrupt.stop()
	client, ctx, err := options.Connect(interrupt.ctx)
	if err != nil {
		if signal := interrupt.received(); signal != nil {
			return interrupted(signal, "")
		}
		return failed(err)
	}
	defer client.Close()
	if branch != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "branch", branch)
	}
	out := bufio.NewWriterSize(os.Stdout, 64*1024)
	defer out.Flush()
	inTransaction := false
	for i, statement := range statements {
		err := interrupt.ctx.Err()
		sent := err == nil
		if sent {
			err = runStatement(ctx, client, statement, format, out)
		}
		where := fmt.Sprintf(" in statement %d of %d", i+1, len(statements))
		if signal := interrupt.received(); signal != nil {
			out.Flush()
			// A statement that ran is known; one cancelled with its call may have begun a transaction
			// before that; one never sent began nothing. A ROLLBACK sent for nothing could end another
			// client's transaction in a session shared through an API token.
			open := inTransaction
			if sent && err == nil {
				open = script.TransactionOpenAfter(inTransaction, statement)
			} else if sent {
				open = inTransaction || script.TransactionOpenAfter(inTransaction, statement)
			}
			if open {
				rollBack(ctx, client, "tarn sql: the transaction the script began was rolled back")
			}
			return interrupted(signal, where)
		}
		if err != nil {
			out.Flush()
			fmt.Fprintf(os.Stderr, "error in statement %d of %d:\n  %s\n%s\n", i+1, len(statements),
				strings.ReplaceAll(statement, "\n", "\n  "), server.Describe(err))
			if inTransaction {
				rollBack(ctx, client, "tarn sql: the transaction the script began was rolled back")
			}
			return interruptedOr(interrupt, where, exitError{1})
		}
		inTransaction = script.TransactionOpenAfter(inTransaction, statement)
		out.Flush()
	}
	if inTransaction {
		// a session shared through an API token would keep it open for the token's next client
		rollBack(ctx, client, "tarn sql: the script ended inside a transaction, which was rolled back (end it with COMMIT)")
		return interruptedOr(interrupt, fmt.Sprintf(" in statement %d of %d", len(statements), len(statements)), exitError{1})
	}
	return nil
}

// interruptedOr reports a signal that came while the script's own rollback ran, as the JVM client's
// hook does; otherwise the script's own outcome stands.
func interruptedOr(interrupt *interruption, where string, outcome error) error {
	if signal := interrupt.received(); signal != nil {
		return interrupted(signal, where)
	}
	return outcome
}

// interruption cancels the script's calls on SIGINT or SIGTERM (a user's Ctrl-C, a CI job cancelled),
// so that the script can roll back the transaction it began before the process ends: in a session
// shared through an API token, a transaction left open would take in the token's next client.
type interruption struct {
	ctx    context.Context
	signal atomic.Value
	stop   func()
}

func onInterrupt() *interruption {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	i := &interruption{ctx: ctx}
	i.stop = func() {
		signal.Stop(signals)
		close(done)
		cancel()
	}
	go func() {
		select {
		case received := <-signals:
			// later signals wait too: the rollback is bounded (30 s), as in the JVM client
			i.signal.Store(received)
			cancel()
		case <-done:
		}
	}()
	return i
}

// received is the signal that interrupted the script, or nil.
func (i *interruption) received() os.Signal {
	if i.ctx.Err() == nil {
		return nil
	}
	received, _ := i.signal.Load().(os.Signal)
	return received
}

// interrupted says where the script stopped and exits as a shell reports a signal: 128 + its number.
// The JVM client says the same (ScriptInterruption).
func interrupted(received os.Signal, where string) error {
	fmt.Fprintf(os.Stderr, "tarn sql: interrupted%s\n", where)
	if number, ok := received.(syscall.Signal); ok {
		return exitError{128 + int(number)}
	}
	return exitError{130}
}

// rollBack ends the transaction the script began and says so; it may have ended already (a failed
// COMMIT ends it), which needs no word. The JVM client words it alike (ScriptTransactions).
func rollBack(ctx context.Context, client *flightsql.Client, rolledBack string) {
	// not cancelled by a signal: the rollback is what a stop waits for, for at most 30 s
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := client.ExecuteUpdate(ctx, "ROLLBACK"); err != nil {
		message := err.Error()
		if s, ok := status.FromError(err); ok {
			message = s.Message()
		}
		if !strings.Contains(message, "ROLLBACK without a transaction") {
			fmt.Fprintln(os.Stderr, "tarn sql: could not roll back the transaction the script began: "+message)
		}
		return
	}
	fmt.Fprintln(os.Stderr, rolledBack)
}

// runStatement runs one statement and prints its result as it streams in (the table printer waits
// for the last row to align its columns).
func runStatement(ctx context.Context, client *flightsql.Client, statement, format string, out *bufio.Writer) error {
	info, err := client.Execute(ctx, statement)
	if err != nil {
		return err
	}
	printer, _ := output.New(format, out)
	for _, endpoint := range info.Endpoint {
		reader, err := client.DoGet(ctx, endpoint.Ticket)
		if err != nil {
			return err
		}
		printer.Start(reader.Schema())
		for reader.Next() {
			printer.Batch(reader.RecordBatch())
		}
		err = reader.Err()
		reader.Release()
		if err != nil {
			return err
		}
	}
	printer.Finish()
	return nil
}
