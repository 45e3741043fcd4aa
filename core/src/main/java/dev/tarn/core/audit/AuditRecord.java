package dev.tarn.core.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * What one statement, command or action did, as the audit keeps it.
 *
 * @param time when it ended
 * @param queryId the id it ran under ({@code SHOW QUERIES}, {@code KILL QUERY})
 * @param user who sent it
 * @param sessionId the session it ran in
 * @param clientAddress {@code host:port} of the client's connection, or null when the front door does not know it
 * @param reference the branch or tag (and pinned commit) the session was on when it started
 * @param commit the catalog commit it produced (a write, a merge, a COMMIT, a pipeline run), or null
 * @param kind what it was: query, dml, ddl, tarn_command, transaction, session, ingest, pipeline...
 * @param statement its text (or a description of a Flight action), at most {@link Bounded#STATEMENT_CHARS} characters
 * @param outcome {@link #OK}, {@link #ERROR}, {@link #REFUSED} or {@link #CANCELLED}
 * @param errorClass what failed (the exception's class, a refusal's kind), or null when it succeeded
 * @param error the message its client got, or null
 * @param rows rows returned (streamed) or written
 * @param bytes bytes of the rows returned (Arrow buffers as streamed); 0 for statements returning none
 * @param durationMs from start to the end of its result
 */
public record AuditRecord(
    Instant time,
    String queryId,
    String user,
    String sessionId,
    String clientAddress,
    String reference,
    String commit,
    String kind,
    String statement,
    String outcome,
    String errorClass,
    String error,
    long rows,
    long bytes,
    long durationMs) {

  public static final String OK = "ok";
  public static final String ERROR = "error";
  /** Refused by Tarn's rules (a statement not allowed, a missing privilege, a limit). */
  public static final String REFUSED = "refused";
  /** Cancelled by its client, a timeout or KILL. */
  public static final String CANCELLED = "cancelled";

  public AuditRecord {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    statement = Bounded.statement(statement == null ? "" : statement);
    error = error == null ? null : Bounded.message(error);
  }
}
