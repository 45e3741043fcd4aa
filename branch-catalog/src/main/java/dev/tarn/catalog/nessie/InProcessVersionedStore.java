package dev.tarn.catalog.nessie;

import dev.tarn.catalog.Reference;
import dev.tarn.catalog.ReferenceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.projectnessie.model.CommitMeta;
import org.projectnessie.model.Content;
import org.projectnessie.model.ContentKey;
import org.projectnessie.model.MergeKeyBehavior;
import org.projectnessie.model.Operation;
import org.projectnessie.versioned.BranchName;
import org.projectnessie.versioned.Commit;
import org.projectnessie.versioned.CommitResult;
import org.projectnessie.versioned.ContentResult;
import org.projectnessie.versioned.DetachedRef;
import org.projectnessie.versioned.Diff;
import org.projectnessie.versioned.GetNamedRefsParams;
import org.projectnessie.versioned.GetNamedRefsParams.RetrieveOptions;
import org.projectnessie.versioned.Hash;
import org.projectnessie.versioned.KeyEntry;
import org.projectnessie.versioned.MergeConflictException;
import org.projectnessie.versioned.MergeResult;
import org.projectnessie.versioned.MetadataRewriter;
import org.projectnessie.versioned.NamedRef;
import org.projectnessie.versioned.ReferenceAlreadyExistsException;
import org.projectnessie.versioned.ReferenceConflictException;
import org.projectnessie.versioned.ReferenceInfo;
import org.projectnessie.versioned.ReferenceNotFoundException;
import org.projectnessie.versioned.TagName;
import org.projectnessie.versioned.VersionStore;
import org.projectnessie.versioned.VersionStore.KeyRestrictions;
import org.projectnessie.versioned.VersionStore.MergeOp;
import org.projectnessie.versioned.paging.PaginationIterator;

/** A {@link VersionedStore} over a Nessie {@link VersionStore} running in this process. */
public final class InProcessVersionedStore implements VersionedStore {
  private static final GetNamedRefsParams WITH_HEAD_META =
      GetNamedRefsParams.builder()
          .branchRetrieveOptions(RetrieveOptions.COMMIT_META)
          .tagRetrieveOptions(RetrieveOptions.COMMIT_META)
          .build();

  private final VersionStore store;
  private final Runnable onClose;
  private final Hash noAncestor;
  /**
   * Heads as last read, for {@link #head}. This process is the store's only writer (RocksDB lets
   * one process open it), and every write goes through this class and counts in {@link #writes}:
   * a head read before the last write finished is not used.
   */
  private final Map<String, KnownHead> heads = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();

  /** A reference's head and the number of finished writes before it was read. */
  private record KnownHead(long writesBefore, Reference reference) {}

  /**
   * @param store the version store (its repository must be initialized)
   * @param onClose releases the store's resources; may be null
   */
  public InProcessVersionedStore(VersionStore store, Runnable onClose) {
    this.store = store;
    this.onClose = onClose;
    this.noAncestor = store.noAncestorHash();
  }

  @Override
  public String noAncestorHash() {
    return noAncestor.asString();
  }

  @Override
  public List<Reference> references() {
    List<Reference> refs = new ArrayList<>();
    try (PaginationIterator<ReferenceInfo<CommitMeta>> it =
        store.getNamedRefs(WITH_HEAD_META, null)) {
      while (it.hasNext()) {
        refs.add(toReference(it.next()));
      }
    } catch (ReferenceNotFoundException e) {
      throw new IllegalStateException("cannot list references: " + e.getMessage(), e);
    }
    return refs;
  }

  private static Reference toReference(ReferenceInfo<CommitMeta> info) {
    NamedRef ref = info.getNamedRef();
    return new Reference(
        ref.getName(),
        ref instanceof TagName ? ReferenceType.TAG : ReferenceType.BRANCH,
        info.getHash().asString(),
        VersionedStore.commitTime(info.getHeadCommitMeta()));
  }

  @Override
  public Optional<Reference> reference(String name) {
    try {
      return Optional.of(toReference(store.getNamedRef(name, WITH_HEAD_META)));
    } catch (ReferenceNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<Reference> head(String name) {
    long writesBefore = writes.get();
    KnownHead known = heads.get(name);
    if (known != null && known.writesBefore() == writesBefore) {
      return Optional.of(known.reference());
    }
    try {
      Reference read = toReference(store.getNamedRef(name, GetNamedRefsParams.DEFAULT));
      heads.put(name, new KnownHead(writesBefore, read));
      return Optional.of(read);
    } catch (ReferenceNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Counts a write as finished (whether it changed anything or failed): heads read before it are stale. */
  private void wrote() {
    writes.incrementAndGet();
    heads.clear();
  }

  @Override
  public boolean commitExists(String hash) {
    try {
      store.hashOnReference(DetachedRef.INSTANCE, Optional.of(Hash.of(hash)), List.of());
      return true;
    } catch (ReferenceNotFoundException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public void log(String hash, boolean withKeys, int expected, Predicate<StoredCommit> visitor)
      throws NotFound {
    try (PaginationIterator<Commit> it = store.getCommits(Hash.of(hash), withKeys)) {
      while (it.hasNext()) {
        Commit c = it.next();
        List<ContentKey> keys = new ArrayList<>();
        if (withKeys && c.getOperations() != null) {
          c.getOperations().forEach(op -> keys.add(op.getKey()));
        }
        StoredCommit stored = new StoredCommit(c.getHash().asString(),
            c.getParentHash() == null ? null : c.getParentHash().asString(),
            c.getCommitMeta(), keys);
        if (!visitor.test(stored)) {
          return;
        }
      }
    } catch (ReferenceNotFoundException e) {
      throw new NotFound(e.getMessage(), e);
    }
  }

  private static NamedRef named(String name, ReferenceType type) {
    return type == ReferenceType.TAG ? TagName.of(name) : BranchName.of(name);
  }

  @Override
  public void create(String name, ReferenceType type, String hash) throws AlreadyExists, NotFound {
    try {
      store.create(named(name, type), Optional.of(Hash.of(hash)));
    } catch (ReferenceAlreadyExistsException e) {
      throw new AlreadyExists(e.getMessage(), e);
    } catch (ReferenceNotFoundException e) {
      throw new NotFound(e.getMessage(), e);
    } finally {
      wrote();
    }
  }

  @Override
  public void delete(String name, ReferenceType type, String expectedHash)
      throws NotFound, Conflict {
    try {
      store.delete(named(name, type), Hash.of(expectedHash));
    } catch (ReferenceNotFoundException e) {
      throw new NotFound(e.getMessage(), e);
    } catch (ReferenceConflictException e) {
      throw conflict(e);
    } finally {
      wrote();
    }
  }

  @Override
  public void assign(String name, String expectedHash, String toHash) throws NotFound, Conflict {
    try {
      store.assign(BranchName.of(name), Hash.of(expectedHash), Hash.of(toHash));
    } catch (ReferenceNotFoundException e) {
      throw new NotFound(e.getMessage(), e);
    } catch (ReferenceConflictException e) {
      throw conflict(e);
    } finally {
      wrote();
    }
  }

  private static Conflict conflict(ReferenceConflictException e) {
    return new Conflict(e.getMessage(), e.getReferenceConflicts() == null ? List.of()
        : e.getReferenceConflicts().conflicts(), e);
  }

  @Override
  public void diff(String from, String to, KeyDiffConsumer consumer) throws NotFound {
    try (PaginationIterator<Diff> it = store.getDiffs(
        Hash.of(from), Hash.of(to), null, KeyRestrictions.NO_KEY_RESTRICTIONS)) {
      while (it.hasNext()) {
        Diff d = it.next();
        consumer.accept(d.contentKey(), d.getFromValue().orElse(null),
            d.getToValue().orElse(null));
      }
    } catch (ReferenceNotFoundException e) {
      throw new NotFound(e.getMessage(), e);
    }
  }

  @Override
  public void entries(String hash, boolean withContent,
      BiPredicate<ContentKey, Content.Type> filter, BiConsumer<ContentKey, Content> consumer)
      throws NotFound {
    KeyRestrictions restrictions = KeyRestrictions.builder().contentKeyPredicate(filter).build();
    try (PaginationIterator<KeyEntry> it =
        store.getKeys(Hash.of(hash), null, withContent, restrictions)) {
      while (it.hasNext()) {
        KeyEntry e = it.next();
        consumer.accept(e.getKey().contentKey(), e.getContent());
      }
    } catch (ReferenceNotFoundException e) {
      throw new NotFound(e.getMessage(), e);
    }
  }

  @Override
  public Content content(String hash, ContentKey key) throws NotFound {
    try {
      ContentResult r = store.getValue(Hash.of(hash), key, true);
      return r == null ? null : r.content();
    } catch (ReferenceNotFoundException e) {
      throw new NotFound(e.getMessage(), e);
    }
  }

  @Override
  public MergeOutcome merge(String fromName, ReferenceType fromType, String fromHash,
      String target, String expectedHead, CommitMeta meta, boolean dryRun,
      List<MergeKeyBehavior> resolved) throws NotFound, Conflict {
    NamedRef fromRef = fromName == null ? DetachedRef.INSTANCE : named(fromName, fromType);
    org.projectnessie.versioned.ImmutableMergeOp.Builder op = MergeOp.builder()
        .fromRef(fromRef)
        .fromHash(Hash.of(fromHash))
        .toBranch(BranchName.of(target))
        .expectedHash(Optional.of(Hash.of(expectedHead)))
        .dryRun(dryRun);
    for (MergeKeyBehavior behavior : resolved) {
      op.putMergeKeyBehaviors(behavior.getKey(), behavior);
    }
    if (meta != null) {
      op.updateCommitMetadata(new MetadataRewriter<>() {
        @Override
        public CommitMeta rewriteSingle(CommitMeta metadata) {
          return meta;
        }

        @Override
        public CommitMeta squash(List<CommitMeta> metadata, int numCommits) {
          return meta;
        }
      });
    }
    try {
      MergeResult r = store.merge(op.build());
      return new MergeOutcome(r.wasApplied(), hash(r.getCommonAncestor()),
          hash(r.getResultantTargetHash()), List.of());
    } catch (MergeConflictException e) {
      Hash ancestor = e.getMergeResult() == null ? null : e.getMergeResult().getCommonAncestor();
      return new MergeOutcome(false, hash(ancestor), null,
          e.getReferenceConflicts() == null ? List.of() : e.getReferenceConflicts().conflicts());
    } catch (ReferenceConflictException e) {
      throw conflict(e);
    } catch (ReferenceNotFoundException e) {
      throw new NotFound(e.getMessage(), e);
    } finally {
      wrote();
    }
  }

  private static String hash(Hash h) {
    return h == null ? null : h.asString();
  }

  @Override
  public StoredCommit commit(String branch, String expectedHash, CommitMeta meta,
      List<Operation> operations) throws NotFound, Conflict {
    try {
      CommitResult result = store.commit(
          BranchName.of(branch), Optional.of(Hash.of(expectedHash)), meta, operations);
      Commit c = result.getCommit();
      return new StoredCommit(c.getHash().asString(), hash(c.getParentHash()),
          meta,
          operations.stream().map(Operation::getKey).toList());
    } catch (ReferenceNotFoundException e) {
      throw new NotFound(e.getMessage(), e);
    } catch (ReferenceConflictException e) {
      throw conflict(e);
    } finally {
      wrote();
    }
  }

  @Override
  public void close() {
    if (onClose != null) {
      onClose.run();
    }
  }
}
