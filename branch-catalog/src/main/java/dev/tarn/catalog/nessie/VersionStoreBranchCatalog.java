package dev.tarn.catalog.nessie;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.CommitConflictException;
import dev.tarn.catalog.CommitInfo;
import dev.tarn.catalog.CommitRetryableException;
import dev.tarn.catalog.Conflict;
import dev.tarn.catalog.MergeConflictException;
import dev.tarn.catalog.MergeOptions;
import dev.tarn.catalog.MergeResult;
import dev.tarn.catalog.ReadOnlyReferenceException;
import dev.tarn.catalog.Reference;
import dev.tarn.catalog.ReferenceAlreadyExistsException;
import dev.tarn.catalog.ReferenceConflictException;
import dev.tarn.catalog.ReferenceNotFoundException;
import dev.tarn.catalog.ReferenceType;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableChange;
import dev.tarn.catalog.TableEntry;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.TableNotFoundException;
import dev.tarn.catalog.iceberg.MetadataFiles;
import dev.tarn.catalog.iceberg.ReadOnlyTableOperations;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileIO;
import org.projectnessie.model.CommitMeta;
import org.projectnessie.model.Content;
import org.projectnessie.model.ContentKey;
import org.projectnessie.model.IcebergTable;
import org.projectnessie.model.Namespace;
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
import org.projectnessie.versioned.MetadataRewriter;
import org.projectnessie.versioned.NamedRef;
import org.projectnessie.versioned.ReferenceInfo;
import org.projectnessie.versioned.TagName;
import org.projectnessie.versioned.VersionStore;
import org.projectnessie.versioned.VersionStore.KeyRestrictions;
import org.projectnessie.versioned.VersionStore.MergeOp;
import org.projectnessie.versioned.paging.PaginationIterator;

/**
 * The branch catalog over a Nessie {@link VersionStore} in this process (any Nessie storage
 * backend: RocksDB for the embedded catalog, in-memory for tests).
 *
 * <p>Model: a Tarn table {@code ns.t} is the Nessie content key {@code [ns, t]} holding an {@link
 * IcebergTable} whose metadata location names the table's current Iceberg metadata file; a
 * namespace {@code ns} is the key {@code [ns]} holding a {@link Namespace}. This is exactly what
 * Nessie's own Iceberg integration stores, so any Nessie-aware engine reads Tarn's tables.
 */
public class VersionStoreBranchCatalog implements BranchCatalog {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
  private static final int MIN_PREFIX = 8;
  private static final int MAX_PREFIX_SCAN = 1_000_000;
  static final int MAX_COMMIT_ATTEMPTS = 100;
  private static final GetNamedRefsParams WITH_HEAD_META =
      GetNamedRefsParams.builder()
          .branchRetrieveOptions(RetrieveOptions.COMMIT_META)
          .tagRetrieveOptions(RetrieveOptions.COMMIT_META)
          .build();

  private final VersionStore store;
  private final FileIO io;
  private final String warehouse;
  private final Runnable onClose;
  private final Hash noAncestor;

  /**
   * @param store the Nessie version store (its repository must be initialized)
   * @param io reads and writes Iceberg metadata
   * @param warehouse the location new tables go under, without a trailing slash
   * @param onClose releases the store's resources
   */
  public VersionStoreBranchCatalog(
      VersionStore store, FileIO io, String warehouse, Runnable onClose) {
    this.store = store;
    this.io = io;
    this.warehouse = warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1)
        : warehouse;
    this.onClose = onClose;
    this.noAncestor = store.noAncestorHash();
  }

  @Override
  public FileIO io() {
    return io;
  }

  @Override
  public String warehouseLocation() {
    return warehouse;
  }

  // ---------------------------------------------------------------- references

  @Override
  public List<Reference> listReferences() {
    List<Reference> refs = new ArrayList<>();
    try (PaginationIterator<ReferenceInfo<CommitMeta>> it =
        store.getNamedRefs(WITH_HEAD_META, null)) {
      while (it.hasNext()) {
        refs.add(toReference(it.next()));
      }
    } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
      throw new CatalogException("cannot list references: " + e.getMessage(), e);
    }
    refs.sort(Comparator.comparing(Reference::name));
    return refs;
  }

  private static Reference toReference(ReferenceInfo<CommitMeta> info) {
    NamedRef ref = info.getNamedRef();
    CommitMeta meta = info.getHeadCommitMeta();
    return new Reference(
        ref.getName(),
        ref instanceof TagName ? ReferenceType.TAG : ReferenceType.BRANCH,
        info.getHash().asString(),
        meta == null ? null : meta.getCommitTime());
  }

  @Override
  public Optional<Reference> findReference(String name) {
    try {
      return Optional.of(toReference(store.getNamedRef(name, WITH_HEAD_META)));
    } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
      return Optional.empty();
    }
  }

  private Reference reference(String name, ReferenceType type) {
    Reference r = findReference(name).orElseThrow(() -> ReferenceNotFoundException.of(name, type));
    if (type != null && r.type() != type) {
      throw new ReferenceNotFoundException(
          name,
          name + " is a " + r.type().word() + ", not a " + type.word()
              + (type == ReferenceType.BRANCH && r.isTag()
                  ? "; tags are read-only: create a branch from it" : ""));
    }
    return r;
  }

  private static NamedRef namedRef(Reference r) {
    return r.isTag() ? TagName.of(r.name()) : BranchName.of(r.name());
  }

  @Override
  public ResolvedReference resolve(At at) {
    if (at instanceof At.Named n) {
      Reference r = reference(n.name(), n.type());
      return new ResolvedReference(r.name(), r.type(), r.hash(), true);
    }
    if (at instanceof At.Commit c) {
      if (c.reference() != null) {
        Reference r = reference(c.reference(), null);
        return new ResolvedReference(r.name(), r.type(), commitHash(c.hash()), false);
      }
      return new ResolvedReference(null, null, commitHash(c.hash()), false);
    }
    At.Timestamp t = (At.Timestamp) at;
    Reference r = reference(t.reference(), null);
    // The commit times users see (SHOW LOG) are the ones compared: the newest commit made at or
    // before the time, walking the reference's history.
    for (CommitInfo commit : log(At.reference(r.name()), Integer.MAX_VALUE)) {
      Instant made = commit.committedAt();
      if (made != null && !made.truncatedTo(ChronoUnit.MICROS).isAfter(t.time())) {
        return new ResolvedReference(r.name(), r.type(), commit.hash(), commit.hash().equals(r.hash()));
      }
    }
    throw new ReferenceNotFoundException(
        r.name(),
        r.type().word() + " " + r.name() + " has no commit at or before " + t.time()
            + "; SHOW LOG " + r.name() + " shows when its commits were made");
  }

  /** A full commit hash from a full hash or a unique prefix of at least 8 hex characters. */
  String commitHash(String hashOrPrefix) {
    String p = hashOrPrefix.trim().toLowerCase(Locale.ROOT);
    if (!HEX.matcher(p).matches()) {
      throw new ReferenceNotFoundException(
          hashOrPrefix, "'" + hashOrPrefix + "' is not a commit hash: a hash is hex digits");
    }
    if (p.length() < MIN_PREFIX) {
      throw new ReferenceNotFoundException(
          hashOrPrefix,
          "commit hash '" + hashOrPrefix + "' is too short: give at least " + MIN_PREFIX
              + " hex characters");
    }
    if (p.length() == noAncestor.asString().length()) {
      try {
        store.hashOnReference(DetachedRef.INSTANCE, Optional.of(Hash.of(p)), List.of());
        return p;
      } catch (org.projectnessie.versioned.ReferenceNotFoundException | IllegalArgumentException e) {
        throw new ReferenceNotFoundException(
            hashOrPrefix, "commit " + hashOrPrefix + " does not exist");
      }
    }
    Set<String> matches = new TreeSet<>();
    Set<String> seen = new HashSet<>();
    for (Reference r : listReferences()) {
      if (r.hash().equals(noAncestor.asString())) {
        continue;
      }
      try (PaginationIterator<Commit> it = store.getCommits(Hash.of(r.hash()), false)) {
        while (it.hasNext() && seen.size() < MAX_PREFIX_SCAN) {
          String h = it.next().getHash().asString();
          if (!seen.add(h)) {
            break; // this commit and its first-parent ancestors were already seen
          }
          if (h.startsWith(p)) {
            matches.add(h);
          }
        }
      } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
        // the reference was dropped meanwhile
      }
    }
    if (matches.isEmpty()) {
      throw new ReferenceNotFoundException(
          hashOrPrefix,
          "no commit on any branch or tag starts with '" + hashOrPrefix
              + "'; SHOW LOG lists commit hashes");
    }
    if (matches.size() > 1) {
      throw new dev.tarn.catalog.AmbiguousCommitHashException(hashOrPrefix, List.copyOf(matches));
    }
    return matches.iterator().next();
  }

  @Override
  public Reference createBranch(String name, At from) {
    return create(name, ReferenceType.BRANCH, from);
  }

  @Override
  public Reference createTag(String name, At from) {
    return create(name, ReferenceType.TAG, from);
  }

  private Reference create(String name, ReferenceType type, At from) {
    validateName(name, type);
    ResolvedReference target = resolve(from);
    NamedRef ref = type == ReferenceType.TAG ? TagName.of(name) : BranchName.of(name);
    try {
      store.create(ref, Optional.of(Hash.of(target.hash())));
    } catch (org.projectnessie.versioned.ReferenceAlreadyExistsException e) {
      throw new ReferenceAlreadyExistsException(
          findReference(name).orElse(new Reference(name, type, target.hash())));
    } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
      throw new ReferenceNotFoundException(
          target.hash(), "commit " + target.hash() + " does not exist");
    }
    return findReference(name).orElse(new Reference(name, type, target.hash()));
  }

  private static void validateName(String name, ReferenceType type) {
    if (name == null || name.isBlank() || name.equals(DetachedRef.REF_NAME)
        || HEX.matcher(name).matches() && name.length() >= MIN_PREFIX
        || !org.projectnessie.model.Validation.isValidReferenceName(name)) {
      throw new CatalogException(
          "'" + name + "' is not a valid " + type.word() + " name: use letters, digits and"
              + " - _ . / (not a hex string that could be a commit hash)");
    }
  }

  @Override
  public void dropBranch(String name) {
    if (DEFAULT_BRANCH.equals(name)) {
      throw new CatalogException(
          "branch " + DEFAULT_BRANCH + " is the default branch and cannot be dropped");
    }
    drop(name, ReferenceType.BRANCH);
  }

  @Override
  public void dropTag(String name) {
    drop(name, ReferenceType.TAG);
  }

  private void drop(String name, ReferenceType type) {
    for (int attempt = 0; ; attempt++) {
      Reference r = reference(name, type);
      try {
        store.delete(namedRef(r), Hash.of(r.hash()));
        return;
      } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
        throw ReferenceNotFoundException.of(name, type);
      } catch (org.projectnessie.versioned.ReferenceConflictException e) {
        if (attempt >= 10) {
          throw new CommitRetryableException(
              type.word() + " " + name + " kept moving while being dropped; try again", e);
        }
      }
    }
  }

  @Override
  public Reference assignBranch(String name, At to) {
    ResolvedReference target = resolve(to);
    for (int attempt = 0; ; attempt++) {
      Reference r = findReference(name).orElseThrow(
          () -> ReferenceNotFoundException.of(name, ReferenceType.BRANCH));
      if (r.isTag()) {
        throw new ReadOnlyReferenceException(
            "tag " + name + " is read-only and cannot be assigned; create a branch from it");
      }
      try {
        store.assign(BranchName.of(name), Hash.of(r.hash()), Hash.of(target.hash()));
        return findReference(name).orElse(new Reference(name, ReferenceType.BRANCH, target.hash()));
      } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
        throw new ReferenceNotFoundException(
            name, "branch " + name + " or commit " + target.hash() + " does not exist");
      } catch (org.projectnessie.versioned.ReferenceConflictException e) {
        if (attempt >= 10) {
          throw new CommitRetryableException(
              "branch " + name + " kept moving while being assigned; try again", e);
        }
      }
    }
  }

  // ---------------------------------------------------------------- history

  @Override
  public List<CommitInfo> log(At at, int limit) {
    ResolvedReference r = resolve(at);
    List<CommitInfo> out = new ArrayList<>();
    if (limit <= 0 || r.hash().equals(noAncestor.asString())) {
      return out;
    }
    try (PaginationIterator<Commit> it = store.getCommits(Hash.of(r.hash()), true)) {
      while (it.hasNext() && out.size() < limit) {
        out.add(toCommitInfo(it.next()));
      }
    } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
      throw new ReferenceNotFoundException(r.hash(), r.describe() + " does not exist anymore");
    }
    return out;
  }

  private CommitInfo toCommitInfo(Commit c) {
    CommitMeta meta = c.getCommitMeta();
    Hash parent = c.getParentHash();
    Set<TableId> tables = new TreeSet<>();
    if (c.getOperations() != null) {
      for (Operation op : c.getOperations()) {
        TableId id = tableId(op.getKey());
        if (id != null) {
          tables.add(id);
        }
      }
    }
    return new CommitInfo(
        c.getHash().asString(),
        parent == null || parent.equals(noAncestor) ? null : parent.asString(),
        meta.getAuthor() == null ? "" : meta.getAuthor(),
        meta.getCommitTime(),
        meta.getMessage(),
        List.copyOf(tables));
  }

  /** The table a two-level content key names; null for namespaces and deeper keys. */
  static TableId tableId(ContentKey key) {
    return key.getElementCount() == 2
        ? new TableId(key.getElements().get(0), key.getElements().get(1))
        : null;
  }

  static ContentKey key(TableId id) {
    return ContentKey.of(id.namespace(), id.name());
  }

  @Override
  public List<TableChange> diff(At from, At to) {
    ResolvedReference a = resolve(from);
    ResolvedReference b = resolve(to);
    List<TableChange> out = new ArrayList<>();
    for (Map.Entry<ContentKey, Content[]> e : diffContents(a.hash(), b.hash()).entrySet()) {
      TableId id = tableId(e.getKey());
      Content before = e.getValue()[0];
      Content after = e.getValue()[1];
      String fromLoc = before instanceof IcebergTable t ? t.getMetadataLocation() : null;
      String toLoc = after instanceof IcebergTable t ? t.getMetadataLocation() : null;
      if (id == null || fromLoc == null && toLoc == null) {
        continue;
      }
      TableChange.Kind kind = fromLoc == null ? TableChange.Kind.ADDED
          : toLoc == null ? TableChange.Kind.REMOVED : TableChange.Kind.MODIFIED;
      out.add(new TableChange(id, kind, fromLoc, toLoc));
    }
    out.sort(Comparator.comparing(TableChange::table));
    return out;
  }

  /** Keys whose content differs from {@code a} to {@code b}: [content at a, content at b]. */
  private Map<ContentKey, Content[]> diffContents(String a, String b) {
    Map<ContentKey, Content[]> out = new LinkedHashMap<>();
    if (a.equals(b)) {
      return out;
    }
    try (PaginationIterator<Diff> it =
        store.getDiffs(Hash.of(a), Hash.of(b), null, KeyRestrictions.NO_KEY_RESTRICTIONS)) {
      while (it.hasNext()) {
        Diff d = it.next();
        out.put(d.contentKey(),
            new Content[] {d.getFromValue().orElse(null), d.getToValue().orElse(null)});
      }
    } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
      throw new ReferenceNotFoundException(a, "commit " + a + " or " + b + " does not exist");
    }
    return out;
  }

  @Override
  public MergeResult merge(At source, String target, MergeOptions options) {
    ResolvedReference src = resolve(source);
    Reference tgt = findReference(target).orElseThrow(
        () -> ReferenceNotFoundException.of(target, ReferenceType.BRANCH));
    if (tgt.isTag()) {
      throw new ReadOnlyReferenceException(
          new ResolvedReference(tgt.name(), tgt.type(), tgt.hash(), true));
    }
    String head = tgt.hash();
    if (options.expectedTargetHash() != null) {
      String expected = commitHash(options.expectedTargetHash());
      if (!expected.equals(head)) {
        throw new ReferenceConflictException(target, expected, head);
      }
    }
    String sourceName = src.name() != null ? src.name() : src.hash();
    NamedRef fromRef = src.name() == null ? DetachedRef.INSTANCE
        : src.type() == ReferenceType.TAG ? TagName.of(src.name()) : BranchName.of(src.name());

    String ancestor = commonAncestor(fromRef, src.hash(), target, head);
    Map<ContentKey, Content[]> sourceChanges = diffContents(ancestor, src.hash());
    Map<ContentKey, Content[]> targetChanges = diffContents(ancestor, head);
    List<Conflict> conflicts = new ArrayList<>();
    Set<TableId> tablesChanged = new TreeSet<>();
    for (Map.Entry<ContentKey, Content[]> e : sourceChanges.entrySet()) {
      TableId id = tableId(e.getKey());
      if (id != null) {
        tablesChanged.add(id);
      }
      Content[] theirs = targetChanges.get(e.getKey());
      if (theirs != null && !Objects.equals(theirs[1], e.getValue()[1])) {
        String name = id != null ? id.toString() : String.join(".", e.getKey().getElements());
        conflicts.add(new Conflict(
            name,
            Conflict.Kind.CHANGED_ON_BOTH_SIDES,
            (id != null ? "table " : "schema ") + name + " was changed on both " + sourceName
                + " and " + target + " since their common ancestor"));
      }
    }
    conflicts.sort(Comparator.comparing(Conflict::table));
    List<TableId> changed = List.copyOf(tablesChanged);

    if (ancestor.equals(src.hash()) || sourceChanges.isEmpty() && conflicts.isEmpty()
        && !ancestor.equals(head)) {
      // nothing to bring over
      return new MergeResult(false, false, sourceName, src.hash(), target, ancestor, head,
          List.of(), List.of());
    }
    boolean fastForward = ancestor.equals(head);
    if (!conflicts.isEmpty()) {
      MergeResult r = new MergeResult(false, false, sourceName, src.hash(), target, ancestor,
          head, conflicts, changed);
      if (options.dryRun()) {
        return r;
      }
      throw new MergeConflictException(r);
    }
    if (options.dryRun()) {
      return new MergeResult(false, fastForward, sourceName, src.hash(), target, ancestor, head,
          List.of(), changed);
    }
    if (fastForward) {
      try {
        store.assign(BranchName.of(target), Hash.of(head), Hash.of(src.hash()));
      } catch (org.projectnessie.versioned.ReferenceConflictException e) {
        throw new ReferenceConflictException(
            target, head, findReference(target).map(Reference::hash).orElse(null));
      } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
        throw ReferenceNotFoundException.of(target, ReferenceType.BRANCH);
      }
      return new MergeResult(true, true, sourceName, src.hash(), target, ancestor, src.hash(),
          List.of(), changed);
    }
    CommitMeta meta = commitMeta(
        options.message() != null ? options.message() : "Merge " + sourceName + " into " + target,
        options.author());
    MetadataRewriter<CommitMeta> rewriter = new MetadataRewriter<>() {
      @Override
      public CommitMeta rewriteSingle(CommitMeta metadata) {
        return meta;
      }

      @Override
      public CommitMeta squash(List<CommitMeta> metadata, int numCommits) {
        return meta;
      }
    };
    try {
      org.projectnessie.versioned.MergeResult r = store.merge(
          MergeOp.builder()
              .fromRef(fromRef)
              .fromHash(Hash.of(src.hash()))
              .toBranch(BranchName.of(target))
              .expectedHash(Optional.of(Hash.of(head)))
              .updateCommitMetadata(rewriter)
              .build());
      String result = r.getResultantTargetHash() != null
          ? r.getResultantTargetHash().asString() : head;
      return new MergeResult(r.wasApplied(), false, sourceName, src.hash(), target, ancestor,
          result, List.of(), changed);
    } catch (org.projectnessie.versioned.MergeConflictException e) {
      List<Conflict> cs = conflicts(e.getReferenceConflicts() == null ? List.of()
          : e.getReferenceConflicts().conflicts());
      throw new MergeConflictException(new MergeResult(false, false, sourceName, src.hash(),
          target, ancestor, head, cs, changed));
    } catch (org.projectnessie.versioned.ReferenceConflictException e) {
      throw new ReferenceConflictException(
          target, head, findReference(target).map(Reference::hash).orElse(null));
    } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
      throw ReferenceNotFoundException.of(target, ReferenceType.BRANCH);
    }
  }

  /** The common ancestor as Nessie computes it (following merge parents), via a dry-run merge. */
  private String commonAncestor(NamedRef fromRef, String from, String target, String head) {
    if (from.equals(head)) {
      return head;
    }
    org.projectnessie.versioned.MergeResult r;
    try {
      r = store.merge(MergeOp.builder()
          .fromRef(fromRef)
          .fromHash(Hash.of(from))
          .toBranch(BranchName.of(target))
          .expectedHash(Optional.of(Hash.of(head)))
          .dryRun(true)
          .build());
    } catch (org.projectnessie.versioned.MergeConflictException e) {
      r = (org.projectnessie.versioned.MergeResult) e.getMergeResult();
    } catch (org.projectnessie.versioned.ReferenceConflictException e) {
      throw new ReferenceConflictException(
          target, head, findReference(target).map(Reference::hash).orElse(null));
    } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
      throw ReferenceNotFoundException.of(target, ReferenceType.BRANCH);
    }
    Hash ca = r.getCommonAncestor();
    return ca == null ? noAncestor.asString() : ca.asString();
  }

  static List<Conflict> conflicts(Collection<org.projectnessie.model.Conflict> nessie) {
    List<Conflict> out = new ArrayList<>();
    for (org.projectnessie.model.Conflict c : nessie) {
      String name = c.key() == null ? "?" : String.join(".", c.key().getElements());
      Conflict.Kind kind = switch (c.conflictType()) {
        case KEY_EXISTS -> Conflict.Kind.ALREADY_EXISTS;
        case KEY_DOES_NOT_EXIST -> Conflict.Kind.DOES_NOT_EXIST;
        case NAMESPACE_ABSENT, NAMESPACE_NOT_EMPTY, NOT_A_NAMESPACE -> Conflict.Kind.NAMESPACE;
        case VALUE_DIFFERS, PAYLOAD_DIFFERS, CONTENT_ID_DIFFERS -> Conflict.Kind.CHANGED_ON_BOTH_SIDES;
        default -> Conflict.Kind.OTHER;
      };
      out.add(new Conflict(name, kind, name + ": " + c.message()));
    }
    return out;
  }

  // ---------------------------------------------------------------- namespaces and tables

  @Override
  public List<String> listNamespaces(At at) {
    ResolvedReference r = resolve(at);
    Set<String> out = new TreeSet<>();
    out.add(DEFAULT_NAMESPACE);
    forEachKey(r.hash(), false, (key, type) -> key.getElementCount() == 1
        && Content.Type.NAMESPACE.equals(type), e -> out.add(e.getKey().contentKey().getName()));
    return List.copyOf(out);
  }

  @Override
  public List<TableEntry> listTables(At at, String namespace) {
    ResolvedReference r = resolve(at);
    List<TableEntry> out = new ArrayList<>();
    forEachKey(r.hash(), true,
        (key, type) -> key.getElementCount() == 2 && Content.Type.ICEBERG_TABLE.equals(type)
            && (namespace == null || key.getElements().get(0).equals(namespace)),
        e -> {
          IcebergTable t = (IcebergTable) e.getContent();
          out.add(new TableEntry(tableId(e.getKey().contentKey()), t.getId(),
              t.getMetadataLocation()));
        });
    out.sort(Comparator.comparing(TableEntry::id));
    return out;
  }

  private void forEachKey(String hash, boolean withContent,
      java.util.function.BiPredicate<ContentKey, Content.Type> filter,
      java.util.function.Consumer<KeyEntry> action) {
    if (hash.equals(noAncestor.asString())) {
      return;
    }
    KeyRestrictions restrictions = KeyRestrictions.builder().contentKeyPredicate(filter).build();
    try (PaginationIterator<KeyEntry> it =
        store.getKeys(Hash.of(hash), null, withContent, restrictions)) {
      while (it.hasNext()) {
        action.accept(it.next());
      }
    } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
      throw new ReferenceNotFoundException(hash, "commit " + hash + " does not exist");
    }
  }

  @Override
  public Optional<TableEntry> findTable(At at, TableId table) {
    return tableAt(resolve(at).hash(), table);
  }

  Optional<TableEntry> tableAt(String hash, TableId table) {
    Content c = contentAt(hash, key(table));
    return c instanceof IcebergTable t
        ? Optional.of(new TableEntry(table, t.getId(), t.getMetadataLocation()))
        : Optional.empty();
  }

  Content contentAt(String hash, ContentKey key) {
    if (hash.equals(noAncestor.asString())) {
      return null;
    }
    try {
      ContentResult r = store.getValue(Hash.of(hash), key, true);
      return r == null ? null : r.content();
    } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
      throw new ReferenceNotFoundException(hash, "commit " + hash + " does not exist");
    }
  }

  @Override
  public Table loadTable(At at, TableId table) {
    ResolvedReference r = resolve(at);
    TableEntry e = tableAt(r.hash(), table)
        .orElseThrow(() -> new TableNotFoundException(table, r.describe()));
    TableMetadata metadata = MetadataFiles.read(io, e.metadataLocation());
    String label = r.name() != null ? r.name() : r.hash();
    return new BaseTable(
        new ReadOnlyTableOperations(io, metadata, r.describe()), label + "." + table);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public CommitInfo commit(ChangeSet changes) {
    String branch = changes.branch();
    Reference ref = findReference(branch).orElseThrow(
        () -> ReferenceNotFoundException.of(branch, ReferenceType.BRANCH));
    if (ref.isTag()) {
      throw new ReadOnlyReferenceException(
          new ResolvedReference(ref.name(), ref.type(), ref.hash(), true));
    }
    String original = changes.expectedHash() != null
        ? commitHash(changes.expectedHash()) : ref.hash();
    CommitMeta meta = commitMeta(changes.message(), changes.author());
    String base = original;
    CatalogException lastFailure = null;
    for (int attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
      ChangeApplier applier = new ChangeApplier(this, branch, original, base, changes.actions());
      List<Operation> ops = applier.apply();
      if (ops.isEmpty()) {
        return headInfo(branch);
      }
      try {
        CommitResult result = store.commit(
            BranchName.of(branch), Optional.of(Hash.of(base)), meta, ops);
        Commit c = result.getCommit();
        Hash parent = c.getParentHash();
        Set<TableId> tables = new TreeSet<>();
        ops.forEach(op -> {
          TableId id = tableId(op.getKey());
          if (id != null) {
            tables.add(id);
          }
        });
        return new CommitInfo(c.getHash().asString(),
            parent == null || parent.equals(noAncestor) ? null : parent.asString(),
            meta.getAuthor() == null ? "" : meta.getAuthor(),
            meta.getCommitTime(), meta.getMessage(), List.copyOf(tables));
      } catch (org.projectnessie.versioned.ReferenceNotFoundException e) {
        applier.discard();
        throw new ReferenceNotFoundException(
            branch, "branch " + branch + " was dropped; nothing was committed");
      } catch (org.projectnessie.versioned.ReferenceConflictException e) {
        applier.discard();
        String head = findReference(branch).map(Reference::hash).orElseThrow(
            () -> new ReferenceNotFoundException(
                branch, "branch " + branch + " was dropped; nothing was committed"));
        if (head.equals(base)) {
          throw new CommitConflictException(branch, conflicts(
              e.getReferenceConflicts() == null ? List.of()
                  : e.getReferenceConflicts().conflicts()));
        }
        lastFailure = new CommitRetryableException(e.getMessage(), e);
        base = head;
        backoff(attempt);
      } catch (RuntimeException e) {
        applier.discard();
        if (e instanceof CatalogException ce) {
          throw ce;
        }
        throw new CommitRetryableException(
            "commit to branch " + branch + " failed, nothing was committed: " + e.getMessage(), e);
      }
    }
    throw new CommitRetryableException(
        "commit to branch " + branch + " gave up after " + MAX_COMMIT_ATTEMPTS
            + " attempts because other commits kept landing first; nothing was committed;"
            + " try again", lastFailure);
  }

  private static void backoff(int attempt) {
    long max = Math.min(50, 1L + attempt * 2L);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(max + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommitRetryableException("interrupted while retrying a commit", e);
    }
  }

  private CommitInfo headInfo(String branch) {
    Reference r = reference(branch, ReferenceType.BRANCH);
    List<CommitInfo> l = log(At.commit(r.hash()), 1);
    return l.isEmpty() ? new CommitInfo(r.hash(), null, "", null, "", List.of()) : l.get(0);
  }

  static CommitMeta commitMeta(String message, String author) {
    // Microseconds: what SQL timestamps carry, so a time read from SHOW LOG finds its commit again.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    CommitMeta.Builder b = CommitMeta.builder()
        .message(message == null ? "" : message)
        .committer("tarn")
        .commitTime(now)
        .authorTime(now);
    if (author != null && !author.isEmpty()) {
      b.author(author);
    }
    return ((org.projectnessie.model.ImmutableCommitMeta.Builder) b).build();
  }

  VersionStore store() {
    return store;
  }

  Hash noAncestor() {
    return noAncestor;
  }

  @Override
  public void close() {
    if (onClose != null) {
      onClose.run();
    }
  }
}
