// Command tarn-client is Tarn's command line client: `tarn sql` and `tarn run`, which CI scripts call
// many times. It starts in milliseconds where a JVM takes a few hundred; the `tarn` launcher runs it
// when it is built (Go is on the machine) and the JVM client otherwise. Both print the same output.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"tarn.dev/cli/internal/server"
)

// exitError ends the command with a status after its message is printed.
type exitError struct{ status int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.status) }

func main() {
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
	flags.StringVar(&options.URL, "url", "grpc://127.0.0.1:31337",
		"server: grpc://host:port, grpc+tls://host:port, or a jdbc:arrow-flight-sql:// URL")
	flags.StringVar(&options.User, "user", "", "user name, when the server requires a password")
	flags.StringVar(&options.PasswordEnv, "password-env", "", "environment variable holding the password")
	flags.StringVar(&options.Token, "token", "", "an API token (CREATE TOKEN) or login token, sent as a bearer token;"+
		" default: the "+server.TokenVariable+" environment variable, the better place for it (command lines show in"+
		" process lists)")
	flags.BoolVar(&options.SkipVerify, "tls-skip-verify", false, "accept any server certificate (self-signed test servers)")
}

// failed prints "error: ..." for a failure outside a statement (logging in, connecting) and exits 1.
func failed(err error) error {
	fmt.Fprintln(os.Stderr, "error: "+server.Message(err))
	return exitError{1}
}
