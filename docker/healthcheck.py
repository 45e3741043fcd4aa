"""Container health check: is a Tarn server answering Flight SQL calls on its port?

Used by the image's HEALTHCHECK. It reads the same TARN_SERVE_* variables `tarn serve` does, so it checks
the port and transport the server was really given. Any Flight answer counts as alive, including a refusal
for lack of credentials: the check needs no password, so none is handed to it.
Exit 0 when the server answers, 1 when it does not (closed port, hung server, not speaking gRPC).
"""
import os
import sys

import pyarrow.flight as flight

DEFAULT_PORT = "31337"
TIMEOUT_SECONDS = 5.0


def server_location(environment):
    host = environment.get("TARN_SERVE_HOST") or "127.0.0.1"
    if host in ("0.0.0.0", "::", "[::]"):
        host = "127.0.0.1"  # bound to every address: loopback is one of them
    port = environment.get("TARN_SERVE_PORT") or DEFAULT_PORT
    tls = bool(environment.get("TARN_SERVE_TLS_CERT"))
    return ("grpc+tls" if tls else "grpc") + "://" + host + ":" + port, tls


def server_answers(location, tls):
    # the certificate names the public address, not loopback: this call checks liveness, not identity
    client = flight.FlightClient(location, disable_server_verification=tls)
    try:
        list(client.list_actions(options=flight.FlightCallOptions(timeout=TIMEOUT_SECONDS)))
        return True
    except (flight.FlightUnauthenticatedError, flight.FlightUnauthorizedError):
        return True  # the server is up and asks for a login
    except (flight.FlightError, OSError):
        return False
    finally:
        client.close()


def main():
    location, tls = server_location(os.environ)
    if server_answers(location, tls):
        return 0
    print("tarn healthcheck: no Flight SQL answer from " + location, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
