package dev.tarn.core.audit;

import dev.tarn.core.TarnException;
import dev.tarn.core.pipeline.PipelineRunFailedException;
import dev.tarn.core.session.Session;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.RowStream;
import dev.tarn.sql.StatementLimitException;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Leaves exactly one audit record per statement, command or action, whatever front door it came
 * through: {@link #start} registers it as running, and exactly one of {@link InFlight#succeeded},
 * {@link InFlight#failed} or the end of a {@link InFlight#watch watched} result stream records it.
 */
public final class Auditor {
  private final AuditLog log;
  private final RunningStatements running;

  public Auditor(AuditLog log, RunningStatements running) {
    this.log = log;
    this.running = running;
  }

  public AuditLog log() {
    return log;
  }

  public RunningStatements running() {
    return running;
  }

  /** A statement starts in a session: it is listed by SHOW QUERIES until it is recorded. */
  public InFlight start(Session session, String kind, String text) {
    return new InFlight(session, kind, text, running.start(session, kind, text));
  }

  /**
   * Runs {@code work} as one audited statement of this kind and text (what the Flight actions
   * without SQL text do: bulk ingest, transactions). A kill marks it, but does not stop it: it is
   * writing files and commits, which an interrupt would break halfway.
   */
  public <T> T run(Session session, String kind, String text, Supplier<T> work, ToLongFunction<T> rows) {
    return run(session, kind, text, false, work, rows);
  }

  /** As {@link #run(Session, String, String, Supplier, ToLongFunction)}, for work that stops on an interrupt (a pipeline run): a kill interrupts it. */
  public <T> T runInterruptible(Session session, String kind, String text, Supplier<T> work,
      ToLongFunction<T> rows) {
    return run(session, kind, text, true, work, rows);
  }

  private <T> T run(Session session, String kind, String text, boolean interruptible, Supplier<T> work,
      ToLongFunction<T> rows) {
    InFlight statement = start(session, kind, text);
    if (interruptible) {
      statement.running.interruptibleBy(Thread.currentThread());
    }
    T result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      throw statement.failed(e);
    } finally {
      statement.leaveThread();
      statement.running.interruptibleBy(null);
      if (statement.running.killedBecause().isPresent()) {
        Thread.interrupted(); // a kill that raced the end of the work must not reach the thread's next call
      }
    }
    statement.succeeded(rows.applyAsLong(result), 0);
    return result;
  }

  /**
   * Records a statement that failed before it could run (its text did not parse, a rule refused
   * it): it was never listed as running.
   *
   * @param error the message {@code e} gave the client, as the record may keep it (a parser's error
   *     quotes the text it stopped at, which may be a password)
   * @return {@code e}, for the caller to throw
   */
  public RuntimeException failedBeforeRun(Session session, String kind, String text, String error,
      long startNanos, RuntimeException e) {
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    log.append(new AuditRecord(Instant.now(), running.newId(), session.user(), session.publicId(),
        session.clientAddress().orElse(null), session.reference().describe(), null, kind, text, outcome(e),
        errorClass(e), error, 0, 0, millis));
    return e;
  }

  /** One statement from its start to its record. */
  public final class InFlight {
    private final Session session;
    private final String kind;
    private final String text;
    private final String reference;
    private final RunningStatement running;
    private final long startNanos = System.nanoTime();
    private final ProducedCommit.Slot commit = ProducedCommit.open();
    private boolean recorded;

    private InFlight(Session session, String kind, String text, RunningStatement running) {
      this.session = session;
      this.kind = kind;
      this.text = text;
      this.reference = session.reference().describe();
      this.running = running;
    }

    public RunningStatement running() {
      return running;
    }

    /** The statement's work on the thread that started it is done; its result may stream on another. */
    public void leaveThread() {
      ProducedCommit.leave(commit);
    }

    /** Work that stops on an interrupt (a pipeline run) runs on this thread until {@code null}. */
    public void interruptibleBy(Thread worker) {
      running.interruptibleBy(worker);
    }

    public void succeeded(long rows, long bytes) {
      record(AuditRecord.OK, null, null, rows, bytes);
    }

    /**
     * Records the failure and returns what the client should get: the failure itself, or, for a
     * killed statement, an error saying who ended it.
     */
    public RuntimeException failed(RuntimeException e) {
      RuntimeException shown = shown(e);
      record(outcome(shown), errorClass(shown), String.valueOf(shown.getMessage()), 0, 0);
      return shown;
    }

    RuntimeException shown(RuntimeException e) {
      return running.killedBecause().<RuntimeException>map(m -> new EngineException(EngineException.Reason.CANCELLED,
          m, e)).orElse(e);
    }

    /** A query's rows: the record is made when the stream ends, with the rows and bytes it produced. */
    public RowStream watch(RowStream rows) {
      return new AuditedRows(rows, this);
    }

    void streamEnded(RuntimeException failure, boolean complete, long rows, long bytes) {
      if (failure != null) {
        record(outcome(failure), errorClass(failure), String.valueOf(failure.getMessage()), rows, bytes);
      } else if (complete) {
        record(AuditRecord.OK, null, null, rows, bytes);
      } else {
        record(AuditRecord.CANCELLED, "ClientGone", "the client stopped reading the result after " + rows
            + " rows", rows, bytes);
      }
    }

    private void record(String outcome, String errorClass, String error, long rows, long bytes) {
      synchronized (this) {
        if (recorded) {
          return;
        }
        recorded = true;
      }
      running.finished();
      session.producedCommit(commit.hash());
      long millis = (System.nanoTime() - startNanos) / 1_000_000;
      log.append(new AuditRecord(Instant.now(), running.id(), session.user(), session.publicId(),
          session.clientAddress().orElse(null), reference, commit.hash(), kind, text, outcome, errorClass, error, rows,
          bytes, millis));
    }
  }

  static String outcome(Throwable e) {
    if (e instanceof TarnException t) {
      return switch (t.kind()) {
        case PERMISSION_DENIED, RESOURCE_EXHAUSTED -> AuditRecord.REFUSED;
        default -> AuditRecord.ERROR;
      };
    }
    if (e instanceof StatementLimitException) {
      return AuditRecord.REFUSED;
    }
    if (e instanceof EngineException engine) {
      return switch (engine.reason()) {
        case PERMISSION -> AuditRecord.REFUSED;
        case CANCELLED -> AuditRecord.CANCELLED;
        default -> AuditRecord.ERROR;
      };
    }
    if (e instanceof PipelineRunFailedException failed && failed.cancelled()) {
      return AuditRecord.CANCELLED;
    }
    return AuditRecord.ERROR;
  }

  static String errorClass(Throwable e) {
    String name = e.getClass().getSimpleName();
    if (e instanceof TarnException t) {
      return name + "(" + t.kind() + ")";
    }
    if (e instanceof EngineException engine) {
      return name + "(" + engine.reason() + ")";
    }
    return name;
  }
}
