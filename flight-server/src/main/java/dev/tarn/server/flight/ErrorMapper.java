package dev.tarn.server.flight;

import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.NamespaceAlreadyExistsException;
import dev.tarn.catalog.NamespaceNotFoundException;
import dev.tarn.catalog.ReferenceAlreadyExistsException;
import dev.tarn.catalog.ReferenceNotFoundException;
import dev.tarn.catalog.TableAlreadyExistsException;
import dev.tarn.catalog.TableNotFoundException;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.pipeline.PipelinePlanException;
import dev.tarn.executor.python.EnvironmentException;
import dev.tarn.server.pipeline.PipelineRunFailedException;
import dev.tarn.sql.ParseTimeoutException;
import dev.tarn.sql.SqlSyntaxException;
import dev.tarn.sql.StatementLimitException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place Tarn's exceptions become gRPC statuses; clients never see a Java stack trace. */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  public static FlightRuntimeException toFlight(Throwable t) {
    if (t instanceof FlightRuntimeException flight) {
      return flight;
    }
    return toStatus(t).toRuntimeException();
  }

  public static CallStatus toStatus(Throwable t) {
    if (t instanceof FlightRuntimeException flight) {
      return flight.status();
    }
    if (t instanceof SqlSyntaxException syntax) {
      return CallStatus.INVALID_ARGUMENT.withDescription(syntax.getMessage());
    }
    if (t instanceof StatementLimitException limit) {
      return CallStatus.INVALID_ARGUMENT.withDescription(limit.getMessage());
    }
    if (t instanceof ParseTimeoutException timeout) {
      return CallStatus.TIMED_OUT.withDescription(timeout.getMessage());
    }
    if (t instanceof TarnStatusException refused) {
      CallStatus status = switch (refused.kind()) {
        case INVALID_ARGUMENT -> CallStatus.INVALID_ARGUMENT;
        case PERMISSION_DENIED -> CallStatus.UNAUTHORIZED;
        case UNIMPLEMENTED -> CallStatus.UNIMPLEMENTED;
        case NOT_FOUND -> CallStatus.NOT_FOUND;
        case RESOURCE_EXHAUSTED -> CallStatus.RESOURCE_EXHAUSTED;
      };
      return status.withDescription(refused.getMessage());
    }
    if (t instanceof CatalogException catalog) {
      CallStatus status;
      if (catalog instanceof ReferenceNotFoundException || catalog instanceof TableNotFoundException
          || catalog instanceof NamespaceNotFoundException) {
        status = CallStatus.NOT_FOUND;
      } else if (catalog instanceof ReferenceAlreadyExistsException || catalog instanceof TableAlreadyExistsException
          || catalog instanceof NamespaceAlreadyExistsException) {
        status = CallStatus.ALREADY_EXISTS;
      } else if (catalog.retryable()) {
        status = CallStatus.UNAVAILABLE;
      } else {
        status = CallStatus.INVALID_ARGUMENT;
      }
      return status.withDescription(catalog.getMessage());
    }
    if (t instanceof EngineException engine) {
      CallStatus status = switch (engine.reason()) {
        case SYNTAX, INVALID -> CallStatus.INVALID_ARGUMENT;
        case NOT_FOUND -> CallStatus.NOT_FOUND;
        case PERMISSION -> CallStatus.UNAUTHORIZED;
        case CANCELLED -> CallStatus.CANCELLED;
        case BUSY -> CallStatus.UNAVAILABLE;
      };
      return status.withDescription(engine.getMessage());
    }
    if (t instanceof PipelineRunFailedException failed) {
      // The run's own failure (a model raised, an expectation failed...): the user's to fix, already recorded.
      return (failed.cancelled() ? CallStatus.CANCELLED : CallStatus.INVALID_ARGUMENT)
          .withDescription(failed.getMessage());
    }
    if (t instanceof PipelinePlanException || t instanceof EnvironmentException) {
      return CallStatus.INVALID_ARGUMENT.withDescription(t.getMessage());
    }
    LOG.error("internal error", t);
    return CallStatus.INTERNAL.withDescription(
        "internal error in the Tarn server (" + t.getClass().getSimpleName() + ": " + t.getMessage()
            + "); the server log has the details");
  }
}
