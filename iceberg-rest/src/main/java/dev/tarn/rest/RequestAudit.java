package dev.tarn.rest;

import dev.tarn.core.audit.AuditLog;
import dev.tarn.core.audit.AuditRecord;
import java.time.Instant;
import java.util.UUID;

/**
 * The audit record of one Iceberg REST request, as Flight SQL statements leave one each: who (the
 * user the credentials proved, with the engine), from where, on which reference, what (method and
 * path), and how it ended. The routes fill in the caller and the reference as they learn them; the
 * server records the request once it has its answer.
 */
final class RequestAudit {
  /** The kind of record in {@code SHOW AUDIT}. */
  static final String KIND = "iceberg_rest";
  private static final String NOBODY = "unauthenticated";

  private final AuditLog log;
  private final String statement;
  private final String clientAddress;
  private final long startNanos = System.nanoTime();
  private Caller caller;
  private String reference;

  RequestAudit(AuditLog log, String method, String rawPath, String clientAddress) {
    this.log = log;
    this.statement = method + " " + rawPath;
    this.clientAddress = clientAddress;
  }

  void caller(Caller who) {
    this.caller = who;
  }

  void reference(String name) {
    this.reference = name;
  }

  /** Records the request with the HTTP status it got, and the error it answered with, if any. */
  void finish(int status, String errorType, String errorMessage) {
    if (log == null) {
      return;
    }
    String outcome = status < 400 ? AuditRecord.OK
        : status == 401 || status == 403 || status == 413 ? AuditRecord.REFUSED : AuditRecord.ERROR;
    String user = caller == null ? NOBODY : caller.user();
    String text = caller == null ? statement : statement + " (" + caller.engine() + ")";
    log.append(new AuditRecord(Instant.now(), "rest-" + UUID.randomUUID(), user, null, clientAddress, reference, null,
        KIND, text, outcome, status < 400 ? null : errorType, status < 400 ? null : errorMessage, 0, 0,
        (System.nanoTime() - startNanos) / 1_000_000));
  }
}
