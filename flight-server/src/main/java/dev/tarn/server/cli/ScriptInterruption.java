package dev.tarn.server.cli;

import io.grpc.Context;
import java.util.concurrent.Callable;

/**
 * What {@code tarn sql} does when it is stopped by SIGINT or SIGTERM (a user's Ctrl-C, a CI job
 * cancelled): the JVM runs this hook, which cancels the statement's call, rolls back the
 * transaction the script began and says where the script stopped. In a session shared through an
 * API token, a transaction left open would take in the token's next client. The Go client does
 * the same (cli/sql.go).
 */
final class ScriptInterruption implements AutoCloseable {
  private final Runnable rollBack;
  private final Thread hook = new Thread(this::onShutdown, "tarn-sql-interrupted");
  private volatile boolean finished;
  private volatile boolean signalled;
  private volatile Context.CancellableContext call;
  private volatile String statement = "";
  private volatile String position = "";
  private volatile boolean inTransaction;

  /** @param rollBack rolls the script's transaction back and says so */
  ScriptInterruption(Runnable rollBack) {
    this.rollBack = rollBack;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Runs one statement's calls so that the hook can cancel them. Once the process is stopping no
   * statement starts: it would run after the rollback, outside the transaction.
   */
  void run(int index, int count, String statement, boolean inTransaction, Callable<Void> calls) throws Exception {
    Context.CancellableContext context = Context.current().withCancellation();
    synchronized (this) {
      if (signalled) {
        throw new StoppingException();
      }
      this.statement = statement;
      this.position = " in statement " + index + " of " + count;
      this.inTransaction = inTransaction;
      call = context;
    }
    try {
      context.call(calls);
    } catch (Exception e) {
      throw stopping() ? new StoppingException() : e;
    } finally {
      synchronized (this) {
        call = null;
      }
      context.close();
    }
  }

  /** Thrown in place of a statement's error while the process stops: the hook reports the stop. */
  static final class StoppingException extends Exception {
    StoppingException() {
      super("tarn sql is stopping", null, false, false);
    }
  }

  private boolean stopping() {
    return signalled;
  }

  /** Waits for the hook to finish rolling back: the JVM then ends with the signal's status. */
  void awaitStop() throws InterruptedException {
    hook.join();
  }

  private void onShutdown() {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      signalled = true;
      if (call != null) {
        call.cancel(null);
      }
    }
    // the statement was cancelled with its call; it may have begun a transaction before that
    if (inTransaction || ScriptTransactions.openAfter(inTransaction, statement)) {
      rollBack.run();
    }
    System.err.println("tarn sql: interrupted" + position);
  }

  /** The script ended on its own: a later stop has nothing to undo. */
  @Override
  public void close() {
    synchronized (this) {
      finished = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down already: the hook sees finished and does nothing
    }
  }
}
