package dev.tarn.mcp;

import dev.tarn.core.audit.AuditLog;
import dev.tarn.core.audit.AuditRecord;
import java.time.Instant;
import java.util.UUID;

/**
 * The audit records of the MCP door, as Flight SQL statements leave one each: one per tool call (who,
 * from where, which tool on which reference, how it ended), and one per request refused for its
 * credentials. A query tool's statement also leaves its own record on the statement path.
 */
final class ToolCallAudit {
  /** The kind of record in {@code SHOW AUDIT}. */
  static final String KIND = "mcp";
  private static final String NOBODY = "unauthenticated";

  private final AuditLog log;

  ToolCallAudit(AuditLog log) {
    this.log = log;
  }

  void toolCall(Caller caller, String tool, String reference, String outcome, Throwable error, long rows,
      long startNanos) {
    append(caller.user(), caller.clientAddress(), reference, tool, outcome,
        error == null ? null : error.getClass().getSimpleName(), error == null ? null : error.getMessage(), rows,
        startNanos);
  }

  void refusedRequest(String clientAddress, String why) {
    append(NOBODY, clientAddress, null, "request", AuditRecord.REFUSED, "Unauthenticated", why, 0, System.nanoTime());
  }

  private void append(String user, String clientAddress, String reference, String statement, String outcome,
      String errorClass, String error, long rows, long startNanos) {
    if (log == null) {
      return;
    }
    log.append(new AuditRecord(Instant.now(), "mcp-" + UUID.randomUUID(), user, null, clientAddress, reference, null,
        KIND, statement, outcome, errorClass, error, rows, 0, (System.nanoTime() - startNanos) / 1_000_000));
  }
}
