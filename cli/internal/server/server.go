// Package server reaches and logs in to a Tarn server over Arrow Flight, as the client commands
// (`tarn sql`, `tarn run`) do: cookies for the server's session, a bearer token or a user's login.
package server

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// TokenVariable holds an API token when --token is not given.
const TokenVariable = "TARN_TOKEN"

// Options are how a command reaches a server; the flags of the same names set them.
type Options struct {
	URL         string
	User        string
	PasswordEnv string
	Token       string
	SkipVerify  bool
}

// Connect opens a Flight SQL client with cookies (the server's session) and logs in: with User, by
// the basic handshake, whose bearer token later calls carry; otherwise with Token, or the token in
// TARN_TOKEN. The context returned carries the credentials for every call.
func (o Options) Connect(ctx context.Context) (*flightsql.Client, context.Context, error) {
	if o.User != "" && o.Token != "" {
		return nil, nil, errors.New("give either --user or --token, not both")
	}
	address, useTLS, err := address(o.URL)
	if err != nil {
		return nil, nil, err
	}
	transport := insecure.NewCredentials()
	if useTLS {
		transport = credentials.NewTLS(&tls.Config{InsecureSkipVerify: o.SkipVerify, MinVersion: tls.VersionTLS12})
	}
	client, err := flightsql.NewClient(address, nil, []flight.ClientMiddleware{flight.NewClientCookieMiddleware()},
		grpc.WithTransportCredentials(transport),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(math.MaxInt32)))
	if err != nil {
		return nil, nil, err
	}
	if o.User != "" {
		password := ""
		if o.PasswordEnv != "" {
			value, set := os.LookupEnv(o.PasswordEnv)
			if !set {
				client.Close()
				return nil, nil, fmt.Errorf("the environment variable %s is not set", o.PasswordEnv)
			}
			password = value
		}
		loggedIn, err := login(ctx, client, o.User, password)
		if err != nil {
			client.Close()
			return nil, nil, err
		}
		return client, loggedIn, nil
	}
	bearer := o.Token
	if bearer == "" {
		bearer = os.Getenv(TokenVariable)
	}
	if bearer = strings.TrimSpace(bearer); bearer != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+bearer)
	}
	return client, ctx, nil
}

// login is Flight's basic-token handshake: the user and password go out as HTTP basic credentials, and
// the bearer token the server answers with goes with every later call. A server that requires no login
// answers with none, and the calls go without, as the JVM client's do (arrow-go's own
// AuthenticateBasicToken calls that an error).
func login(ctx context.Context, client *flightsql.Client, user, password string) (context.Context, error) {
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	stream, err := client.Client.Handshake(metadata.AppendToOutgoingContext(ctx, "authorization", "Basic "+basic))
	if err != nil {
		return nil, err
	}
	if err := stream.CloseSend(); err != nil {
		return nil, err
	}
	header, err := stream.Header()
	if err != nil {
		return nil, err
	}
	if _, err := stream.Recv(); err != nil && err != io.EOF {
		return nil, err
	}
	for _, token := range metadata.Join(header, stream.Trailer()).Get("authorization") {
		if token != "" {
			return metadata.AppendToOutgoingContext(ctx, "authorization", token), nil
		}
	}
	return ctx, nil
}

// address reads grpc://host:port, grpc+tls://host:port or a jdbc:arrow-flight-sql:// URL (encrypted
// unless useEncryption=false) into a dial address and whether to use TLS.
func address(raw string) (string, bool, error) {
	parsed, err := url.Parse(strings.TrimPrefix(raw, "jdbc:"))
	if err != nil {
		return "", false, fmt.Errorf("the URL %s cannot be read: %v", raw, err)
	}
	if parsed.Hostname() == "" || parsed.Port() == "" {
		return "", false, fmt.Errorf("the URL %s names no host and port (grpc://host:port)", raw)
	}
	useTLS := parsed.Scheme == "grpc+tls" ||
		(parsed.Scheme == "arrow-flight-sql" && !strings.Contains(parsed.RawQuery, "useEncryption=false"))
	return net.JoinHostPort(parsed.Hostname(), parsed.Port()), useTLS, nil
}

// Describe is an error as the JVM client shows it: Arrow Flight's name of its status code, then the
// server's message, as in "INVALID_ARGUMENT: Table ... does not exist".
func Describe(err error) string {
	s, ok := status.FromError(err)
	if !ok {
		return "UNKNOWN: " + err.Error()
	}
	return flightCodes[s.Code()] + ": " + s.Message()
}

// flightCodes are Arrow Flight's names for gRPC's status codes.
var flightCodes = map[codes.Code]string{
	codes.OK: "OK", codes.Canceled: "CANCELLED", codes.Unknown: "UNKNOWN", codes.InvalidArgument: "INVALID_ARGUMENT",
	codes.DeadlineExceeded: "TIMED_OUT", codes.NotFound: "NOT_FOUND", codes.AlreadyExists: "ALREADY_EXISTS",
	codes.PermissionDenied: "UNAUTHORIZED", codes.ResourceExhausted: "RESOURCE_EXHAUSTED",
	codes.FailedPrecondition: "INVALID_ARGUMENT", codes.Aborted: "INTERNAL", codes.OutOfRange: "INVALID_ARGUMENT",
	codes.Unimplemented: "UNIMPLEMENTED", codes.Internal: "INTERNAL", codes.Unavailable: "UNAVAILABLE",
	codes.DataLoss: "INTERNAL", codes.Unauthenticated: "UNAUTHENTICATED",
}

// IsCallError tells an error the server (or the network) answered from one in the options.
func IsCallError(err error) bool {
	_, ok := status.FromError(err)
	return ok
}

// Message is the server's message of a failed call, without the code.
func Message(err error) string {
	if s, ok := status.FromError(err); ok {
		return s.Message()
	}
	return err.Error()
}
