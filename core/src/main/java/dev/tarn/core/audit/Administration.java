package dev.tarn.core.audit;

import dev.tarn.core.session.Session;
import dev.tarn.core.session.SessionStore;
import java.nio.file.Path;
import java.util.function.Predicate;

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

  /**
   * @param isAdmin whether a session's user may see and end everyone's sessions, statements and
   *     audit records (access control's admins; everyone on an open server)
   */
  public Administration(AuditLog log, SessionStore sessions, Predicate<Session> isAdmin) {
    RunningStatements running = new RunningStatements();
    this.log = log;
    this.auditor = new Auditor(log, running);
    this.commands = new AdminCommands(log, running, sessions, isAdmin);
  }

  /** Audit records under {@code <localFolder>/audit}, kept this many days. */
  public static Administration open(Path localFolder, int retentionDays, SessionStore sessions,
      Predicate<Session> isAdmin) {
    return new Administration(AuditLog.open(localFolder.resolve(AUDIT_FOLDER), retentionDays), sessions, isAdmin);
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
