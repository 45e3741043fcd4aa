package dev.tarn.rest;

import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.CommitConflictException;
import dev.tarn.catalog.CommitRetryableException;
import dev.tarn.catalog.NamespaceAlreadyExistsException;
import dev.tarn.catalog.NamespaceNotEmptyException;
import dev.tarn.catalog.NamespaceNotFoundException;
import dev.tarn.catalog.ReadOnlyReferenceException;
import dev.tarn.catalog.ReferenceConflictException;
import dev.tarn.catalog.ReferenceNotFoundException;
import dev.tarn.catalog.TableAlreadyExistsException;
import dev.tarn.catalog.TableNotFoundException;
import dev.tarn.core.TarnException;
import dev.tarn.core.auth.InvalidLoginException;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what went wrong into Iceberg's error answer: the HTTP status and error type its clients map
 * to their own exceptions, with Tarn's message (which names the object, the reference or the
 * privilege). Unexpected failures are logged and answered with 500, never with a stack trace.
 */
final class RestErrors {
  private static final Logger LOG = LoggerFactory.getLogger(RestErrors.class);

  private RestErrors() {}

  static ErrorResponse toResponse(RuntimeException e) {
    RestStatus status = classify(e);
    return ErrorResponse.builder()
        .responseCode(status.code())
        .withType(status.type())
        .withMessage(status.getMessage())
        .build();
  }

  private static RestStatus classify(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof RestStatus s) {
      return s;
    } else if (e instanceof BadRequest) {
      return new RestStatus(400, "BadRequestException", message);
    } else if (e instanceof InvalidLoginException) {
      return RestStatus.unauthorized(message);
    } else if (e instanceof TableNotFoundException) {
      return RestStatus.notFound("NoSuchTableException", message);
    } else if (e instanceof NamespaceNotFoundException) {
      return RestStatus.notFound("NoSuchNamespaceException", message);
    } else if (e instanceof ReferenceNotFoundException) {
      return RestStatus.notFound("NotFoundException", message);
    } else if (e instanceof TableAlreadyExistsException || e instanceof NamespaceAlreadyExistsException) {
      return new RestStatus(409, "AlreadyExistsException", message);
    } else if (e instanceof NamespaceNotEmptyException) {
      return new RestStatus(409, "NamespaceNotEmptyException", message);
    } else if (e instanceof CommitConflictException || e instanceof CommitRetryableException
        || e instanceof ReferenceConflictException) {
      return new RestStatus(409, "CommitFailedException", message);
    } else if (e instanceof ReadOnlyReferenceException) {
      return RestStatus.forbidden(message);
    } else if (e instanceof CatalogException) {
      return new RestStatus(400, "BadRequestException", message);
    } else if (e instanceof TarnException t) {
      return switch (t.kind()) {
        case PERMISSION_DENIED -> RestStatus.forbidden(message);
        case NOT_FOUND -> RestStatus.notFound("NotFoundException", message);
        case UNIMPLEMENTED -> RestStatus.unsupported(message);
        case RESOURCE_EXHAUSTED -> new RestStatus(429, "TooManyRequestsException", message);
        case INVALID_ARGUMENT -> new RestStatus(400, "BadRequestException", message);
      };
    } else if (e instanceof IllegalArgumentException) {
      // Iceberg's own checks (schemas, specs, requests' validate()) throw these for bad input
      return new RestStatus(400, "BadRequestException", message);
    }
    LOG.error("Iceberg REST request failed unexpectedly", e);
    return new RestStatus(500, "ServerErrorException", "the server failed to answer: " + message);
  }
}
