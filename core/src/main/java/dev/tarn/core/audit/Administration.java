package dev.tarn.core.audit;

import dev.tarn.core.session.Session;
import dev.tarn.core.session.SessionStore;
import java.nio.file.Path;

/**
 * Audit and session administration, as one piece every front door shares: the audit log, the
 * running statements, the recorder around each statement and the administration statements.
 */
public final class Administration implements AutoCloseable {
  /** Under the warehouse's local folder, beside the catalog and never among the folders SQL may read. */
  public static final String AUDIT_FOLDER = "audit";

  private final AuditLog log;
  private final Auditor auditor;
  private final AdminCommands commands;

  public Administration(AuditLog log, SessionStore sessions) {
    RunningStatements running = new RunningStatements();
    this.log = log;
    this.auditor = new Auditor(log, running);
    this.commands = new AdminCommands(log, running, sessions, Session::isAdmin);
  }

  /** Audit records under {@code <localFolder>/audit}, kept this many days. */
  public static Administration open(Path localFolder, int retentionDays, SessionStore sessions) {
    return new Administration(AuditLog.open(localFolder.resolve(AUDIT_FOLDER), retentionDays), sessions);
  }

  public Auditor auditor() {
    return auditor;
  }

  public AdminCommands commands() {
    return commands;
  }

  public AuditLog log() {
    return log;
  }

  @Override
  public void close() {
    log.close();
  }
}
