package dev.tarn.catalog.nessie;

import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.Reference;
import dev.tarn.catalog.ReferenceType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.projectnessie.model.CommitMeta;
import org.projectnessie.model.Content;
import org.projectnessie.model.ContentKey;
import org.projectnessie.model.MergeKeyBehavior;
import org.projectnessie.model.Operation;

/**
 * What {@link NessieBranchCatalog} needs from a Nessie repository, whoever holds it: a {@code
 * VersionStore} in this process ({@link InProcessVersionedStore}) or a Nessie server over REST API
 * v2 ({@code dev.tarn.catalog.remote.RestVersionedStore}). Everything above this interface — name
 * resolution, commit building, merge semantics, retries, error messages — is shared, so both
 * backends behave the same.
 *
 * <p>Hashes are full hex commit hashes. Values are Nessie's model types ({@link ContentKey}, {@link
 * Content}, {@link Operation}, {@link CommitMeta}), which both the in-process store and the REST
 * client speak. Failures the catalog reacts to are the three checked exceptions below; anything
 * else is a {@link RuntimeException} (for the server: unreachable, bad request).
 */
public interface VersionedStore extends AutoCloseable {

  /** The hash of the empty beginning of history (parent of every root commit). */
  String noAncestorHash();

  /** Every branch and tag with the time of its head commit (order unspecified). */
  List<Reference> references();

  /** The branch or tag called {@code name}, with the time of its head commit. */
  Optional<Reference> reference(String name);

  /**
   * The branch or tag called {@code name} with its head, the time of the head commit perhaps left
   * out: what every statement asks to find the commit it works on, so a store may answer it faster.
   */
  default Optional<Reference> head(String name) {
    return reference(name);
  }

  /** Whether {@code hash} (a full hash) names an existing commit. */
  boolean commitExists(String hash);

  /**
   * A commit as history shows it.
   *
   * @param parentHash first parent; the no-ancestor hash (or null) for a root commit
   * @param changedKeys keys the commit puts or deletes; empty unless asked for
   */
  record StoredCommit(String hash, String parentHash, CommitMeta meta, List<ContentKey> changedKeys) {
    public StoredCommit {
      changedKeys = changedKeys == null ? List.of() : List.copyOf(changedKeys);
    }

    /** Its parents: the first parent, then the merge parents a merge commit's metadata names. */
    List<String> parents() {
      if (meta != null && meta.getParentCommitHashes() != null && !meta.getParentCommitHashes().isEmpty()) {
        return meta.getParentCommitHashes();
      }
      return parentHash == null ? List.of() : List.of(parentHash);
    }
  }

  /**
   * Walks the first-parent history from {@code hash}, newest first, until {@code visitor} returns
   * false or history ends.
   *
   * @param withKeys whether each commit's changed keys are needed
   * @param expected how many commits the caller probably wants (a paging hint)
   */
  void log(String hash, boolean withKeys, int expected, Predicate<StoredCommit> visitor)
      throws NotFound;

  /** Creates a branch or tag at {@code hash}. */
  void create(String name, ReferenceType type, String hash) throws AlreadyExists, NotFound;

  /** Deletes a branch or tag if it still points at {@code expectedHash}. */
  void delete(String name, ReferenceType type, String expectedHash) throws NotFound, Conflict;

  /** Points branch {@code name} at {@code toHash} if it still points at {@code expectedHash}. */
  void assign(String name, String expectedHash, String toHash) throws NotFound, Conflict;

  /** Keys whose content differs from commit {@code from} to commit {@code to}. */
  void diff(String from, String to, KeyDiffConsumer consumer) throws NotFound;

  /** One key's content before and after ({@code null} when absent on that side). */
  @FunctionalInterface
  interface KeyDiffConsumer {
    void accept(ContentKey key, Content from, Content to);
  }

  /**
   * The keys at commit {@code hash} accepted by {@code filter} (key and content type), with their
   * content when {@code withContent} (else {@code null}).
   */
  void entries(String hash, boolean withContent, BiPredicate<ContentKey, Content.Type> filter,
      BiConsumer<ContentKey, Content> consumer) throws NotFound;

  /** The content of {@code key} at commit {@code hash}; {@code null} if the key is absent. */
  Content content(String hash, ContentKey key) throws NotFound;

  /**
   * A merge, or its dry run, as the store computed it.
   *
   * @param applied whether the target branch moved
   * @param commonAncestor the merge base (following earlier merges); null if unknown
   * @param resultHash the target's head afterwards (null on a dry run or conflict)
   * @param conflicts the store's conflicts; empty when it would apply cleanly
   */
  record MergeOutcome(boolean applied, String commonAncestor, String resultHash,
      List<org.projectnessie.model.Conflict> conflicts) {
    public MergeOutcome {
      conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
    }
  }

  /**
   * Merges commit {@code fromHash} (reachable from reference {@code fromName}, or detached when
   * null) into branch {@code target}, which must still point at {@code expectedHead}. Conflicting
   * content comes back in the outcome; a moved target throws {@link Conflict}.
   *
   * @param meta the merge commit's message and author (ignored for dry runs)
   * @param resolved keys changed on both sides whose merged content the caller computed: each
   *     gives the target content it expects and the content to put (Nessie's resolved content)
   */
  MergeOutcome merge(String fromName, ReferenceType fromType, String fromHash, String target,
      String expectedHead, CommitMeta meta, boolean dryRun, List<MergeKeyBehavior> resolved)
      throws NotFound, Conflict;

  /**
   * Commits {@code operations} on {@code branch}, based on {@code expectedHash}: the store lands it
   * on a newer head only if none of the keys changed since {@code expectedHash}; else {@link
   * Conflict}. Returns the new commit (its parent is the head it landed on).
   */
  StoredCommit commit(String branch, String expectedHash, CommitMeta meta,
      List<Operation> operations) throws NotFound, Conflict;

  /** Releases the store (the in-process database, or the HTTP client). */
  @Override
  void close();

  // ------------------------------------------------------------------ failures

  /** A reference or commit does not exist. */
  final class NotFound extends Exception {
    public NotFound(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A reference of that name already exists. */
  final class AlreadyExists extends Exception {
    public AlreadyExists(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A reference moved from the expected hash, or the operations conflict with its content. */
  final class Conflict extends Exception {
    private final List<org.projectnessie.model.Conflict> conflicts;

    public Conflict(String message, List<org.projectnessie.model.Conflict> conflicts,
        Throwable cause) {
      super(message, cause);
      this.conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
    }

    /** What conflicted, as far as the store said. */
    public List<org.projectnessie.model.Conflict> conflicts() {
      return conflicts;
    }
  }

  /**
   * A commit whose outcome is unknown (the connection to a server broke while it was being
   * sent): it may have landed, so the files it names must stay and it must not be retried blindly.
   */
  final class OutcomeUnknown extends CatalogException {
    private static final long serialVersionUID = 1L;

    public OutcomeUnknown(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A time a stored commit was made, for {@link Reference#committedAt()}. */
  static Instant commitTime(CommitMeta meta) {
    return meta == null ? null : meta.getCommitTime();
  }
}
