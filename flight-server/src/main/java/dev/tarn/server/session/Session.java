package dev.tarn.server.session;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineSession;
import dev.tarn.server.lakehouse.CurrentReference;
import dev.tarn.server.lakehouse.Transactions;
import java.time.Instant;
import java.util.Optional;

/**
 * One client connection's state: who it is, which reference it reads (the branch catalog gives this
 * meaning), and its engine session (current schema, connections), opened on first use.
 */
public final class Session implements AutoCloseable {
  private final String id;
  private final String user;
  private final DuckDbEngine engine;
  private final Instant createdAt = Instant.now();
  private volatile String branch;
  private volatile CurrentReference reference;
  private volatile Transactions.Transaction transaction;
  private final List<String> transactionStatements = new CopyOnWriteArrayList<>();
  private EngineSession engineSession;
  private boolean closed;

  Session(String id, String user, DuckDbEngine engine, String branch) {
    this.id = id;
    this.user = user;
    this.engine = engine;
    this.branch = branch;
    this.reference = branch == null || branch.isBlank() ? CurrentReference.defaultBranch()
        : CurrentReference.named(branch);
  }

  public String id() {
    return id;
  }

  /** The authenticated user, or "anonymous" on an open server. */
  public String user() {
    return user;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** The reference named by the client's {@code branch} header or option, if any. */
  public Optional<String> branch() {
    return Optional.ofNullable(branch);
  }

  public void setBranch(String newBranch) {
    this.branch = newBranch;
    this.reference = CurrentReference.named(newBranch);
  }

  /** The branch, tag or commit this session reads and writes. */
  public CurrentReference reference() {
    return reference;
  }

  /** Moves the session to another reference ({@code USE BRANCH}, the catalog option...). */
  public void use(CurrentReference newReference) {
    this.reference = newReference;
    this.branch = newReference.name();
  }

  /** The open transaction, if any (see {@link Transactions}). */
  public Optional<Transactions.Transaction> transaction() {
    return Optional.ofNullable(transaction);
  }

  public void beginTransaction(Transactions.Transaction tx) {
    this.transaction = tx;
    transactionStatements.clear();
  }

  public void endTransaction() {
    this.transaction = null;
    transactionStatements.clear();
  }

  /** Records a statement that changed data inside the open transaction (for the commit message). */
  public void recordInTransaction(String statement) {
    if (transaction != null) {
      transactionStatements.add(statement.strip());
    }
  }

  public List<String> transactionStatements() {
    return List.copyOf(transactionStatements);
  }

  /** The engine side of this session, opened on first use. */
  public synchronized EngineSession engine() {
    if (closed) {
      throw new IllegalStateException("session " + id + " is closed");
    }
    if (engineSession == null) {
      engineSession = engine.openSession();
    }
    return engineSession;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (engineSession != null) {
      engineSession.close();
    }
  }
}
