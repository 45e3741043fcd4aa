package dev.tarn.jdbc;

import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.apache.arrow.flight.FlightRuntimeException;

/**
 * Turns the server's Flight errors into SQLExceptions with standard SQL states; the server's own
 * message (which names the object, the limit or the type) is kept as it is.
 *
 * @param address host:port of the server, for messages about the connection itself
 */
record ErrorTranslator(String address) {
  SQLException translate(FlightRuntimeException e) {
    return translate(e, 0);
  }

  /** {@code timeoutSeconds}: the statement's query timeout, named when the deadline passed. */
  SQLException translate(FlightRuntimeException e, int timeoutSeconds) {
    String message = e.status().description();
    if (message == null || message.isBlank()) {
      message = e.getMessage();
    }
    return switch (e.status().code()) {
      case UNAUTHENTICATED -> new SQLInvalidAuthorizationSpecException(message, "28000", e);
      case UNAUTHORIZED -> new SQLException(message, "42501", e);
      case TIMED_OUT -> new SQLTimeoutException(timeoutSeconds > 0
          ? "the statement ran longer than its query timeout of " + timeoutSeconds + " s and was cancelled"
          : message, "57014", e);
      case CANCELLED -> new SQLException(message.isBlank() ? "the statement was cancelled" : message, "57014", e);
      case UNAVAILABLE -> new SQLTransientConnectionException("the Tarn server at " + address
          + " is unreachable: " + message, "08006", e);
      case INVALID_ARGUMENT -> message.toLowerCase(java.util.Locale.ROOT).contains("syntax")
          ? new SQLSyntaxErrorException(message, "42000", e) : new SQLException(message, "42000", e);
      case NOT_FOUND -> new SQLException(message, "42S02", e);
      case ALREADY_EXISTS -> new SQLException(message, "42S01", e);
      case RESOURCE_EXHAUSTED -> new SQLException(message, "53000", e);
      case UNIMPLEMENTED -> new java.sql.SQLFeatureNotSupportedException(message, "0A000", e);
      case INTERNAL, UNKNOWN -> new SQLException(message, "XX000", e);
      default -> new SQLException(message, "HY000", e);
    };
  }

  SQLException closed(String what) {
    return new SQLNonTransientConnectionException(what + " is closed", "08003");
  }
}
