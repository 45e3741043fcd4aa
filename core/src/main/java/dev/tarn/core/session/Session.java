package dev.tarn.core.session;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineSession;
import dev.tarn.core.session.CurrentReference;
import java.time.Instant;
import java.util.Optional;

/**
 * One client connection's state: who it is, which reference it reads (the branch catalog gives this
 * meaning), and its engine session (current schema, connections), opened on first use.
 *
 * <p>A session serving one call of a client that keeps no cookie is stored nowhere and keeps no
 * engine connection between statements; {@link SessionStore} keeps the others.
 */
public final class Session implements AutoCloseable {
  private final String id;
  private final String publicId;
  private final String user;
  private final DuckDbEngine engine;
  private final Instant createdAt = Instant.now();
  private volatile String branchHeader;
  private volatile CurrentReference reference;
  private volatile OpenTransaction transaction;
  private final List<String> transactionStatements = new CopyOnWriteArrayList<>();
  private EngineSession engineSession;
  private boolean closed;
  private boolean retainsConnection;
  private volatile boolean keepsState;
  private volatile long lastUsedNanos = System.nanoTime();
  private volatile Instant lastUsedAt = createdAt;
  private volatile String clientAddress;
  private volatile String flightTransactionId;
  private volatile String lastProducedCommit;
  private volatile boolean holdsState;
  private final java.util.concurrent.atomic.AtomicInteger openHandles = new java.util.concurrent.atomic.AtomicInteger();
  private int activeCalls;

  Session(String id, String user, DuckDbEngine engine, String branch) {
    this(id, user, engine, branch, true);
  }

  Session(String id, String user, DuckDbEngine engine, String branch, boolean retainsConnection) {
    this.retainsConnection = retainsConnection;
    this.id = id;
    this.publicId = publicIdOf(id);
    this.user = user;
    this.engine = engine;
    this.branchHeader = branch == null || branch.isBlank() ? null : branch;
    this.reference = branch == null || branch.isBlank() ? CurrentReference.defaultBranch()
        : CurrentReference.named(branch);
  }

  public String id() {
    return id;
  }

  /**
   * The id people see and name ({@code SHOW SESSIONS}, audit records, {@code KILL SESSION}): {@code
   * s-} and a digest of {@link #id()}, which is the session cookie's value and must not be shown.
   */
  public String publicId() {
    return publicId;
  }

  private static String publicIdOf(String id) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "s-" + java.util.HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The authenticated user, or "anonymous" on an open server. */
  public String user() {
    return user;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** When a call last used this session. */
  public Instant lastUsedAt() {
    return lastUsedAt;
  }

  /** Where the client calls from ({@code host:port} of its connection), when the front door knows it. */
  public Optional<String> clientAddress() {
    return Optional.ofNullable(clientAddress);
  }

  /** The front door tells the session where its current call comes from. */
  public void calledFrom(String address) {
    this.clientAddress = address;
  }

  /** The reference the client's {@code branch} call header last named, if any. */
  public Optional<String> branchHeader() {
    return Optional.ofNullable(branchHeader);
  }

  /**
   * A client of a session several clients share (an API token's), seen on one connection: each
   * connection's first call takes the session to the branch its header names.
   */
  public interface SharedClient {
    /** Not shared: a session of one client. */
    SharedClient NONE = new SharedClient() {
      @Override
      public boolean isNew() {
        return false;
      }

      @Override
      public void followed() {
      }
    };

    /** Whether this connection has not yet taken the session to its header's branch. */
    boolean isNew();

    /** Remembers that it has. */
    void followed();
  }

  /**
   * Follows a call's {@code branch} header: the session moves to the reference it names when it names
   * another one than the header last followed, or on a new client's first call. A client sends its
   * header with every call, so calls repeating it keep what USE or the catalog option did since. An
   * open transaction is never left: a header naming the branch it commits into, or the one followed
   * when it began, keeps the session in it. (The clients of a shared session share its transaction
   * too; the README says so.)
   *
   * @return false, changing nothing, when a transaction is open and the header names another branch
   */
  public synchronized boolean followBranchHeader(String header, SharedClient client) {
    if (transaction != null) {
      return header.equals(transaction.target()) || header.equals(branchHeader);
    }
    boolean fresh = client.isNew();
    if (fresh) {
      client.followed();
    }
    if (fresh || !header.equals(branchHeader)) {
      this.branchHeader = header;
      this.reference = CurrentReference.named(header);
    }
    return true;
  }

  /**
   * Moves the session to {@code to} (the catalog option) unless a transaction is open, which it never
   * leaves that way.
   *
   * @return false when a transaction is open and {@code to} is not the branch it commits into
   */
  public synchronized boolean useOutsideTransaction(CurrentReference to) {
    if (transaction != null) {
      return to.commit().isEmpty() && to.name().equals(transaction.target());
    }
    this.reference = to;
    return true;
  }

  /** The branch, tag or commit this session reads and writes. */
  public CurrentReference reference() {
    return reference;
  }

  /** Moves the session to another reference ({@code USE BRANCH}, the catalog option...). */
  public void use(CurrentReference newReference) {
    this.reference = newReference;
  }

  /**
   * True when the client is known to come back to this session (it sent back the session cookie,
   * or identifies by a bearer token), so that state a statement leaves here (USE, BEGIN, temporary
   * tables) is seen by its next statements.
   */
  public boolean keepsState() {
    return keepsState;
  }

  void markKeepsState() {
    keepsState = true;
  }

  /**
   * Marks that a statement left state here that the client would miss if the session went (USE,
   * a temporary table, a session option); such a session is never recycled, only closed when idle.
   */
  public void markHoldsState() {
    holdsState = true;
  }

  /** A prepared statement or a result waiting to be fetched now refers to this session. */
  public void handleOpened() {
    openHandles.incrementAndGet();
  }

  /** A prepared statement or result that referred to this session is gone. */
  public void handleClosed() {
    openHandles.decrementAndGet();
  }

  /** A call starts using this session; false when the session has already ended. */
  synchronized boolean enterCall() {
    if (closed) {
      return false;
    }
    activeCalls++;
    return true;
  }

  synchronized void leaveCall() {
    activeCalls--;
  }

  /**
   * Closes the session if it holds nothing its client could miss: no open transaction, no state a
   * statement left, no prepared statement or pending result, and no call using it right now. Its
   * client then gets a fresh session on its next call, with nothing lost.
   *
   * @return true when the session was closed
   */
  synchronized boolean closeIfHoldingNothing() {
    if (closed || transaction != null || holdsState || openHandles.get() > 0 || activeCalls > 0) {
      return false;
    }
    close();
    return true;
  }

  long lastUsedNanos() {
    return lastUsedNanos;
  }

  void touch() {
    lastUsedNanos = System.nanoTime();
    lastUsedAt = Instant.now();
  }

  boolean idleLongerThan(java.time.Duration timeout) {
    return System.nanoTime() - lastUsedNanos > timeout.toNanos();
  }

  /** The Flight SQL transaction id the client was given for the open transaction, if it began one so. */
  Optional<String> flightTransactionId() {
    return transaction == null ? Optional.empty() : Optional.ofNullable(flightTransactionId);
  }

  void flightTransactionId(String id) {
    this.flightTransactionId = id;
  }

  /** The open transaction, if any (the lakehouse's {@code Transactions} opens and ends it). */
  /**
   * The catalog commit the session's latest statement to produce one made (a write, a merge, a
   * COMMIT, a run's merge): its own, even when others committed to the branch since.
   */
  public Optional<String> lastProducedCommit() {
    return Optional.ofNullable(lastProducedCommit);
  }

  /** Noted by the audit when a statement that produced {@code hash} ends. */
  public void producedCommit(String hash) {
    if (hash != null) {
      lastProducedCommit = hash;
    }
  }

  public Optional<OpenTransaction> transaction() {
    return Optional.ofNullable(transaction);
  }

  /**
   * Opens {@code tx} in this session and moves onto its private branch, in one step; false (and
   * nothing changed) when one is open already or the session moved since {@code tx} was made.
   */
  public synchronized boolean beginTransaction(OpenTransaction tx) {
    if (transaction != null || !reference.equals(tx.before())) {
      return false;
    }
    this.transaction = tx;
    this.reference = CurrentReference.named(tx.branch());
    transactionStatements.clear();
    return true;
  }

  /** Ends the open transaction and moves the session back to {@code before}, in one step. */
  public synchronized void endTransaction(CurrentReference before) {
    this.reference = before;
    this.transaction = null;
    this.flightTransactionId = null;
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
      throw new dev.tarn.core.TarnException(dev.tarn.core.TarnException.Kind.INVALID_ARGUMENT, "this session has ended: the client"
          + " closed it, it was idle longer than --session-idle-minutes, or it held a transaction that has since ended"
          + " (a client that keeps no session cookie gets a session per transaction). Prepare the statement again.");
    }
    if (engineSession == null) {
      engineSession = engine.openSession();
      engineSession.retainIdleConnection(retainsConnection);
    }
    return engineSession;
  }

  /** From now on keep an engine connection between statements (the session is being stored). */
  synchronized void retainConnection() {
    retainsConnection = true;
    if (engineSession != null) {
      engineSession.retainIdleConnection(true);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (engineSession != null) {
      engineSession.close();
    }
  }
}
