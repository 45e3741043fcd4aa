// Command tarn-client is Tarn's command line client: `tarn sql` and `tarn run`, which CI scripts call
// many times. It starts in milliseconds where a JVM takes a few hundred; the `tarn` launcher runs it
// when it is built (Go is on the machine) and the JVM client otherwise. Both print the same output.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"tarn.dev/cli/internal/server"
)

// exitError ends the command with a status after its message is printed.
type exitError struct{ status int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.status) }

func main() {
	// A reader that goes away (| head) must not kill the client mid-script: like the JVM client, it runs
	// the script to its end and its writes to the closed pipe are dropped.
	signal.Ignore(syscall.SIGPIPE)
	root := &cobra.Command{
		Use:           "tarn",
		Short:         "Tarn: a lakehouse you talk to like a database (Arrow Flight SQL over DuckDB).",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(sqlCommand(), runCommand())
	err := root.Execute()
	var exit exitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		os.Exit(exit.status)
	default:
		// flag and argument mistakes, as the JVM client's picocli reports them: exit 2
		fmt.Fprintln(os.Stderr, "error: "+err.Error())
		os.Exit(2)
	}
}

// serverFlags are the flags both commands take to reach and log in to a server.
func serverFlags(command *cobra.Command, options *server.Options) {
	flags := command.Flags()
	stringFlag(flags, &options.URL, "url", "", "grpc://127.0.0.1:31337",
		"server: grpc://host:port, grpc+tls://host:port, or a jdbc:arrow-flight-sql:// URL")
	stringFlag(flags, &options.User, "user", "", "", "user name, when the server requires a password")
	stringFlag(flags, &options.PasswordEnv, "password-env", "", "", "environment variable holding the password")
	stringFlag(flags, &options.Token, "token", "", "", "an API token (CREATE TOKEN) or login token, sent as a bearer"+
		" token; default: the "+server.TokenVariable+" environment variable, the better place for it (command lines"+
		" show in process lists)")
	boolFlag(flags, &options.SkipVerify, "tls-skip-verify", "accept any server certificate (self-signed test servers)")
}

// A flag given twice is refused, as picocli refuses it under the JVM client: keeping the last -e would
// silently drop the first one's statements.
type onceString struct {
	value *string
	set   bool
}

func (o *onceString) Set(v string) error {
	if o.set {
		return errors.New("the option is given more than once")
	}
	*o.value, o.set = validText(v), true
	return nil
}
func (o *onceString) String() string { return *o.value }
func (o *onceString) Type() string   { return "string" }

type onceBool struct {
	value *bool
	set   bool
}

func (o *onceBool) Set(v string) error {
	if o.set {
		return errors.New("the option is given more than once")
	}
	parsed, err := strconv.ParseBool(v)
	*o.value, o.set = parsed, true
	return err
}
func (o *onceBool) String() string   { return strconv.FormatBool(*o.value) }
func (o *onceBool) Type() string     { return "bool" }
func (o *onceBool) IsBoolFlag() bool { return true }

func stringFlag(flags *pflag.FlagSet, value *string, name, short, defaultValue, usage string) {
	*value = defaultValue
	flags.VarP(&onceString{value: value}, name, short, usage)
}

func boolFlag(flags *pflag.FlagSet, value *bool, name, usage string) {
	flags.VarPF(&onceBool{value: value}, name, "", usage).NoOptDefVal = "true"
}

// validText is an argument as the JVM reads it: each byte that is not UTF-8 becomes U+FFFD (gRPC
// refuses to send text that is not UTF-8).
func validText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var out []rune
	for i := 0; i < len(s); {
		r, width := utf8.DecodeRuneInString(s[i:])
		out = append(out, r) // an invalid byte decodes as U+FFFD, one byte wide
		i += width
	}
	return string(out)
}

// failed prints "error: ..." for a failure outside a statement (logging in, connecting) and exits 1.
func failed(err error) error {
	fmt.Fprintln(os.Stderr, "error: "+server.Message(err))
	return exitError{1}
}
