package dev.tarn.core.audit;

import dev.tarn.core.session.Session;
import dev.tarn.executor.Execution;
import java.time.Instant;
import java.util.Optional;

/**
 * A statement while it runs: what {@code SHOW QUERIES} lists and {@code KILL QUERY} reaches. A
 * query runs until its last row is streamed; a kill cancels its engine execution (a kill that
 * comes before the execution starts reaches it as it starts). Work without an engine execution
 * (a pipeline run) is interrupted instead, which it treats as a cancel.
 */
public final class RunningStatement {
  private final String id;
  private final String sessionId;
  private final String sessionCookieId;
  private final String user;
  private final String clientAddress;
  private final String kind;
  private final String statement;
  private final Instant startedAt = Instant.now();
  private final long startNanos = System.nanoTime();
  private final RunningStatements registry;
  private Execution execution;
  private Thread interruptible;
  private String killedBecause;

  RunningStatement(String id, Session session, String kind, String statement, RunningStatements registry) {
    this.id = id;
    this.sessionId = session.publicId();
    this.sessionCookieId = session.id();
    this.user = session.user();
    this.clientAddress = session.clientAddress().orElse(null);
    this.kind = kind;
    this.statement = Bounded.statement(statement);
    this.registry = registry;
  }

  public String id() {
    return id;
  }

  /** The public id of its session ({@link Session#publicId()}). */
  public String sessionId() {
    return sessionId;
  }

  /** Its session's own id, by which the session store knows it. */
  String sessionCookieId() {
    return sessionCookieId;
  }

  public String user() {
    return user;
  }

  public String clientAddress() {
    return clientAddress;
  }

  public String kind() {
    return kind;
  }

  public String statement() {
    return statement;
  }

  public Instant startedAt() {
    return startedAt;
  }

  long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** The engine execution doing the work; a kill that came first cancels it now. */
  public synchronized void attach(Execution newExecution) {
    this.execution = newExecution;
    if (killedBecause != null) {
      newExecution.cancel();
    }
  }

  /**
   * The thread doing work that stops on an interrupt (a pipeline run), while it does it. A kill
   * that came first (it may, between the statement's listing and its work's start) interrupts it
   * now, as {@link #attach} cancels an execution.
   */
  synchronized void interruptibleBy(Thread worker) {
    this.interruptible = worker;
    if (worker != null && killedBecause != null) {
      worker.interrupt();
    }
  }

  /**
   * Cancels the statement; its client gets {@code message} as the error.
   *
   * @return false when it was killed before
   */
  public synchronized boolean kill(String message) {
    if (killedBecause != null) {
      return false;
    }
    killedBecause = message;
    if (execution != null) {
      execution.cancel();
    }
    if (interruptible != null) {
      interruptible.interrupt();
    }
    return true;
  }

  /** Why it was killed, if it was: the error its client gets. */
  public synchronized Optional<String> killedBecause() {
    return Optional.ofNullable(killedBecause);
  }

  /** It ended (finished, failed or was cancelled): no longer listed or killable. */
  void finished() {
    synchronized (this) {
      interruptible = null;
      execution = null;
    }
    registry.remove(this);
  }
}
