package dev.tarn.rest;

/**
 * An answer other than success, with the HTTP status and the Iceberg error type clients map to their
 * own exceptions ({@code NoSuchTableException}, {@code CommitFailedException}, ...).
 */
final class RestStatus extends RuntimeException {
  private final int code;
  private final String type;

  RestStatus(int code, String type, String message) {
    super(message);
    this.code = code;
    this.type = type;
  }

  static RestStatus notFound(String type, String message) {
    return new RestStatus(404, type, message);
  }

  static RestStatus forbidden(String message) {
    return new RestStatus(403, "ForbiddenException", message);
  }

  static RestStatus unauthorized(String message) {
    return new RestStatus(401, "NotAuthorizedException", message);
  }

  static RestStatus unsupported(String message) {
    return new RestStatus(406, "UnsupportedOperationException", message);
  }

  int code() {
    return code;
  }

  String type() {
    return type;
  }
}
