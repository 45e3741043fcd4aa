package dev.tarn.core.access;

import dev.tarn.catalog.ReferenceType;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.lakehouse.Transactions;
import dev.tarn.executor.pipeline.PipelineRunner;
import dev.tarn.sql.command.access.Privilege;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Who may do what, on which reference: the one place the core asks. Every front door passes only the
 * caller's user name (the session's); privileges are read from the current {@link AccessState} at each
 * check, so a revoked grant, a dropped user or a dropped token counts from the next statement on.
 *
 * <p>An open server (loopback, no password) has one implicit admin: every check passes, as before
 * users existed. Protected branches are honoured in both modes: protection is a rail, not a privilege.
 */
public final class AccessControl {
  private final Optional<String> bootstrapAdmin;
  private final AccessStore store;
  private volatile AccessState state;
  /** Each open transaction's private branch, and the branch it commits into. */
  private final Map<String, String> transactionTargets = new ConcurrentHashMap<>();

  private AccessControl(Optional<String> bootstrapAdmin, AccessStore store) {
    this.bootstrapAdmin = bootstrapAdmin;
    this.store = store;
    this.state = store.load();
  }

  /** Everything allowed, nothing kept: embedded uses and tests of the lakehouse alone. */
  public static AccessControl open() {
    return new AccessControl(Optional.empty(), AccessStore.inMemory());
  }

  /** An open server: one implicit admin; protections are kept in {@code store}. */
  public static AccessControl open(AccessStore store) {
    return new AccessControl(Optional.empty(), store);
  }

  /** A server with a password: {@code bootstrapAdmin} (from --user) holds everything and cannot be dropped. */
  public static AccessControl enforcing(String bootstrapAdmin, AccessStore store) {
    if (SYSTEM_USER.equals(bootstrapAdmin)) {
      throw new IllegalArgumentException("the user name " + SYSTEM_USER + " is reserved for the server's own"
          + " commits; choose another admin name");
    }
    return new AccessControl(Optional.of(bootstrapAdmin), store);
  }

  public boolean enforcing() {
    return bootstrapAdmin.isPresent();
  }

  public Optional<String> bootstrapAdmin() {
    return bootstrapAdmin;
  }

  AccessState state() {
    return state;
  }

  private Privileges privileges() {
    return new Privileges(state, bootstrapAdmin);
  }

  /** Applies a change and keeps it; changes are serialized so none is lost. */
  synchronized void update(UnaryOperator<AccessState> change) {
    AccessState next = change.apply(state);
    store.save(next);
    state = next;
  }

  // ---- identities ----

  /** Whether a name is someone who may act now (checked at every call, so a dropped user stops at once). */
  public boolean isKnownUser(String user) {
    return !enforcing() || privileges().userExists(user);
  }

  /**
   * What a login proved, to be compared with the current state at every later call of its session:
   * the same for as long as the user keeps both their existence and their password, different once
   * they are dropped (even if the name is created again) or their password changes. Empty for a
   * name that is no user now. Never leaves the server.
   */
  public Optional<String> credentialStamp(String user) {
    if (user == null || !isKnownUser(user)) {
      return Optional.empty();
    }
    AccessState.User entry = state.users().get(user);
    // BCrypt hashes carry a random salt: re-creating a user, even with the same password, changes it
    return Optional.of(entry == null ? "bootstrap admin" : entry.passwordHash());
  }

  /** Whether {@code password} is the password of the user created by CREATE USER (not the bootstrap admin). */
  public boolean checkPassword(String user, String password) {
    // the server's own user never logs in, even if a store written before it was reserved holds one
    AccessState.User entry = user == null || SYSTEM_USER.equals(user) ? null : state.users().get(user);
    return Passwords.matches(password, entry == null ? null : entry.passwordHash());
  }

  /** The user an API token acts for, if the token exists and has not expired. */
  public Optional<String> userOfToken(String secret) {
    if (!ApiTokens.looksLikeApiToken(secret) || secret.length() > 200) {
      return Optional.empty();
    }
    String hash = ApiTokens.hash(secret);
    Instant now = Instant.now();
    for (AccessState.Token token : state.tokens().values()) {
      if (java.security.MessageDigest.isEqual(token.secretHash().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          hash.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
        boolean expired = token.expiresAt() != null && !now.isBefore(Instant.parse(token.expiresAt()));
        return expired || !privileges().userExists(token.user()) || SYSTEM_USER.equals(token.user())
            ? Optional.empty() : Optional.of(token.user());
      }
    }
    return Optional.empty();
  }

  // ---- checks ----

  /**
   * The server's own user: the author of the commits its background work makes (--auto-optimize).
   * It reads and writes every branch, and nothing else; protected branches refuse it like anyone.
   * No client can act as it: no user of that name can be created, or named bootstrap admin.
   */
  public static final String SYSTEM_USER = "tarn-auto-optimize";

  /** Whether {@code user} holds {@code privilege} on the reference named {@code reference}. */
  public boolean may(String user, Privilege privilege, String reference) {
    if (SYSTEM_USER.equals(user) && (privilege == Privilege.READ || privilege == Privilege.WRITE)) {
      return true;
    }
    if (!enforcing()) {
      return true;
    }
    Optional<String> governing = governing(reference);
    return governing.isPresent() && privileges().holds(user, privilege, governing.get());
  }

  /**
   * A transaction's statements read and write its private branch under the privileges of the branch
   * it commits into, checked at each statement as everywhere else (a grant revoked mid-transaction
   * counts at once). Kept from BEGIN until the transaction ends.
   */
  public void transactionOpened(String privateBranch, String target) {
    transactionTargets.put(privateBranch, target);
  }

  public void transactionEnded(String privateBranch) {
    transactionTargets.remove(privateBranch);
  }

  /** The branch the open transaction whose private branch is {@code privateBranch} commits into. */
  public Optional<String> transactionTarget(String privateBranch) {
    return Optional.ofNullable(transactionTargets.get(privateBranch));
  }

  /**
   * The reference whose grants decide on {@code reference}: itself, or for an open transaction's
   * private branch the branch it commits into; none for a private branch of no open transaction.
   */
  private Optional<String> governing(String reference) {
    return Transactions.isTransactionBranch(reference) ? transactionTarget(reference) : Optional.of(reference);
  }

  /** The patterns of the references on which {@code user} holds {@code privilege}; "*" when all. */
  public java.util.List<String> patternsFor(String user, Privilege privilege) {
    return enforcing() ? privileges().patternsFor(user, privilege) : java.util.List.of("*");
  }

  public boolean isAdmin(String user) {
    return !enforcing() || privileges().isAdmin(user);
  }

  /** Refuses unless {@code user} holds {@code privilege} on the reference; {@code what} is "branch x", "tag v1"... */
  public void require(String user, Privilege privilege, String reference, String kindWord) {
    if (!may(user, privilege, reference)) {
      // only the session that owns a transaction's branch can name it (ReferenceCommands.visible)
      throw denied(user, privilege.name() + " on " + kindWord + " " + governing(reference).orElse(reference));
    }
  }

  /** READ on every commit a statement reads. */
  public void requireRead(String user, Collection<ResolvedReference> commits) {
    for (ResolvedReference commit : commits) {
      requireRead(user, commit);
    }
  }

  public void requireRead(String user, ResolvedReference at) {
    if (at.name() == null) {
      // a bare commit, seen from no reference: only a reader of every reference may read it
      if (enforcing() && !privileges().holdsOnAll(user, Privilege.READ)) {
        throw denied(user, "READ on ALL BRANCHES, which reading commit "
            + at.hash().substring(0, Math.min(12, at.hash().length())) + " by its hash alone needs");
      }
      return;
    }
    require(user, Privilege.READ, at.name(), word(at.type()));
  }

  /**
   * A direct write (DDL, DML, ingest, ASSIGN, a transaction committing) into {@code branch}: WRITE on
   * it, and the branch must not be protected.
   */
  public void requireDirectWrite(String user, String branch) {
    if (Transactions.isTransactionBranch(branch)) {
      // WRITE on the branch the transaction commits into; its protection was checked at BEGIN and is
      // again at COMMIT
      require(user, Privilege.WRITE, branch, "branch");
      return;
    }
    refuseIfRunBranch(branch);
    require(user, Privilege.WRITE, branch, "branch");
    refuseIfProtected(branch);
  }

  /**
   * A pipeline run's branch takes no change from clients (writes, merges into it, runs into it): the
   * run merges whatever its branch holds into the run's target, under the run's user, so a change
   * written there would land in the target, protected or not, without its writer holding MERGE on it.
   * Kept branches of failed runs stay readable, and may be dropped.
   */
  public void refuseIfRunBranch(String branch) {
    if (branch.startsWith(PipelineRunner.RUN_BRANCH_PREFIX)) {
      throw new TarnException(Kind.PERMISSION_DENIED, "branch " + branch + " belongs to a pipeline run: it takes"
          + " no writes, merges or runs from clients (create a branch from it to work on what it holds)");
    }
  }

  public void refuseIfProtected(String branch) {
    if (isProtected(branch)) {
      throw new TarnException(Kind.PERMISSION_DENIED, "branch " + branch + " is protected: it takes no direct"
          + " writes, only MERGE BRANCH ... INTO " + branch + " by a holder of MERGE on it (write on another branch"
          + " and merge it; an admin can UNPROTECT BRANCH " + branch + ")");
    }
  }

  /**
   * Starting a pipeline run on {@code branch}: RUN (it runs code) and WRITE on it; a run lands by
   * merging, so a protected branch takes it only from a holder of MERGE on it.
   */
  public void requireRun(String user, String branch) {
    refuseIfRunBranch(branch);
    require(user, Privilege.RUN, branch, "branch");
    require(user, Privilege.WRITE, branch, "branch");
    if (isProtected(branch)) {
      require(user, Privilege.MERGE, branch, "protected branch");
    }
  }

  public void requireAdmin(String user, String what) {
    if (!isAdmin(user)) {
      throw denied(user, "ADMIN on ALL BRANCHES, which " + what + " needs");
    }
  }

  public boolean isProtected(String branch) {
    return state.protectedBranches().contains(branch);
  }

  static TarnException denied(String user, String missing) {
    return new TarnException(Kind.PERMISSION_DENIED, "user " + user + " lacks " + missing);
  }

  private static String word(ReferenceType type) {
    return type == null ? "reference" : type.word();
  }
}
