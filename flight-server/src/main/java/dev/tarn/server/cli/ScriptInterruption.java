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
  private boolean finished;
  private boolean signalled;
  private Context.CancellableContext call;
  private String position = "";
  /** Whether the script's transaction may be open: a statement cancelled mid-call may have begun one. */
  private boolean transactionMayBeOpen;

  /** @param rollBack rolls the script's transaction back and says so, within a time limit */
  ScriptInterruption(Runnable rollBack) {
    this.rollBack = rollBack;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Runs one statement's calls so that the hook can cancel them. Once the process is stopping no
   * statement starts: it would run after the rollback, outside the transaction.
   *
   * @return whether a transaction is open after the statement
   */
  boolean run(int index, int count, String statement, boolean inTransaction, Callable<Void> calls) throws Exception {
    Context.CancellableContext context = Context.current().withCancellation();
    boolean openAfter = ScriptTransactions.openAfter(inTransaction, statement);
    synchronized (this) {
      if (signalled) {
        throw new StoppingException();
      }
      position = " in statement " + index + " of " + count;
      transactionMayBeOpen = inTransaction || openAfter;
      call = context;
    }
    try {
      context.call(calls);
    } catch (Exception e) {
      if (stopping()) {
        throw new StoppingException();
      }
      synchronized (this) {
        transactionMayBeOpen = inTransaction; // the statement failed: it began nothing
      }
      throw e;
    } finally {
      synchronized (this) {
        call = null;
      }
      context.close();
    }
    synchronized (this) {
      transactionMayBeOpen = openAfter;
    }
    return openAfter;
  }

  /** Thrown in place of a statement's error while the process stops: the hook reports the stop. */
  static final class StoppingException extends Exception {
    StoppingException() {
      super("tarn sql is stopping", null, false, false);
    }
  }

  /**
   * The script rolls back its transaction itself (after a failing statement, or at its end): a stop
   * that comes meanwhile must not send a second ROLLBACK, which in a session shared through an API
   * token could end another client's transaction begun since.
   */
  synchronized void rollingBack() {
    transactionMayBeOpen = false;
  }

  private synchronized boolean stopping() {
    return signalled;
  }

  private void onShutdown() {
    boolean rollBackNow;
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      signalled = true;
      if (call != null) {
        call.cancel(null);
      }
      rollBackNow = transactionMayBeOpen;
    }
    if (rollBackNow) {
      rollBack.run();
    }
    System.err.println("tarn sql: interrupted" + position);
  }

  /**
   * The script ended on its own, or stopped: a stop under way finishes its rollback before the
   * caller closes the connection it uses.
   */
  @Override
  public void close() throws InterruptedException {
    boolean wait;
    synchronized (this) {
      wait = signalled;
      finished = true;
    }
    if (wait) {
      hook.join();
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down already: the hook sees finished and does nothing
    }
  }
}
