package dev.tarn.catalog.nessie;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.CommitConflictException;
import dev.tarn.catalog.CommitInfo;
import dev.tarn.catalog.CommitRetryableException;
import dev.tarn.catalog.Conflict;
import dev.tarn.catalog.Housekeeping;
import dev.tarn.catalog.Identifiers;
import dev.tarn.catalog.InvalidIdentifierException;
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
import dev.tarn.catalog.Retention;
import dev.tarn.catalog.TableAction;
import dev.tarn.catalog.TableChange;
import dev.tarn.catalog.TableEntry;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.TableNotFoundException;
import dev.tarn.catalog.ViewEntry;
import dev.tarn.catalog.iceberg.MetadataFiles;
import dev.tarn.catalog.iceberg.ReadOnlyTableOperations;
import dev.tarn.catalog.iceberg.TrackingFileIO;
import dev.tarn.catalog.iceberg.ViewMetadataFiles;
import dev.tarn.catalog.storage.DurableFiles;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileIO;
import org.projectnessie.model.CommitMeta;
import org.projectnessie.model.Content;
import org.projectnessie.model.ContentKey;
import org.projectnessie.model.IcebergTable;
import org.projectnessie.model.IcebergView;
import org.projectnessie.model.MergeBehavior;
import org.projectnessie.model.MergeKeyBehavior;
import org.projectnessie.model.Namespace;
import org.projectnessie.model.Operation;
import org.projectnessie.model.Detached;

/**
 * The branch catalog over a Nessie repository reached through a {@link VersionedStore}: Nessie's
 * version store in this process (the embedded catalog, {@link VersionStoreBranchCatalog}) or a
 * Nessie server over REST ({@code dev.tarn.catalog.remote.NessieServerBranchCatalog}). All of the
 * catalog's behaviour lives here, so every backend resolves names, builds commits, merges, retries
 * and reports errors the same way; a backend only moves Nessie values in and out.
 *
 * <p>Model: a Tarn table {@code ns.t} is the Nessie content key {@code [ns, t]} holding an {@link
 * IcebergTable} whose metadata location names the table's current Iceberg metadata file; a
 * namespace {@code ns} is the key {@code [ns]} holding a {@link Namespace}. This is exactly what
 * Nessie's own Iceberg integration stores, so any Nessie-aware engine reads Tarn's tables.
 */
public class NessieBranchCatalog implements BranchCatalog {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
  private static final int MIN_PREFIX = 8;
  private static final int MAX_PREFIX_SCAN = 1_000_000;
  /** Commits read looking for the newest shared ancestor of a merge's sides before relying on Nessie's. */
  private static final int MAX_COMMITS_TO_NEWEST_ANCESTOR = 10_000;

  /**
   * Commits to one branch from this process take turns (a branch's name picks one of these fair
   * locks). Otherwise writers racing on one branch all build their commit, all but one lose the
   * compare-and-swap, and all build it again: 32 clients appending to main committed less than one
   * alone, and some gave up after 100 attempts (benchmark B10). Other processes sharing a Nessie
   * server still race, and retry.
   */
  private final ReentrantLock[] branchCommits =
      Stream.generate(() -> new ReentrantLock(true)).limit(64).toArray(ReentrantLock[]::new);
  private final VersionedStore store;
  private final FileIO io;
  private final String warehouse;
  private final String noAncestor;

  /**
   * @param store the Nessie repository; closed with the catalog
   * @param io reads and writes Iceberg metadata
   * @param warehouse the location new tables go under, without a trailing slash
   */
  public NessieBranchCatalog(VersionedStore store, FileIO io, String warehouse) {
    this.store = store;
    this.io = io;
    this.warehouse = warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1)
        : warehouse;
    this.noAncestor = store.noAncestorHash();
  }

  /**
   * Makes a new repository usable: creates the default branch if the repository lacks it and, if
   * that branch has no commit yet, commits schema {@value #DEFAULT_NAMESPACE} on it. Does nothing
   * on a repository that has history.
   */
  protected void initializeRepository() {
    if (findReference(DEFAULT_BRANCH).isEmpty()) {
      try {
        store.create(DEFAULT_BRANCH, ReferenceType.BRANCH, noAncestor);
      } catch (VersionedStore.AlreadyExists e) {
        // created meanwhile by someone else
      } catch (VersionedStore.NotFound e) {
        throw new CatalogException(
            "cannot create branch " + DEFAULT_BRANCH + ": " + e.getMessage(), e);
      }
    }
    if (getReference(DEFAULT_BRANCH).hash().equals(noAncestor)) {
      commit(ChangeSet.on(DEFAULT_BRANCH)
          .createNamespace(DEFAULT_NAMESPACE, true)
          .message("Create schema " + DEFAULT_NAMESPACE)
          .author("tarn"));
    }
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
    List<Reference> refs = new ArrayList<>(store.references());
    refs.sort(Comparator.comparing(Reference::name));
    return refs;
  }

  @Override
  public Optional<Reference> findReference(String name) {
    return store.reference(name);
  }

  /** The reference's head, without the commit's time (see {@link VersionedStore#head}). */
  private Reference reference(String name, ReferenceType type) {
    Reference r = store.head(name).orElseThrow(() -> ReferenceNotFoundException.of(name, type));
    if (type != null && r.type() != type) {
      throw new ReferenceNotFoundException(
          name,
          name + " is a " + r.type().word() + ", not a " + type.word()
              + (type == ReferenceType.BRANCH && r.isTag()
                  ? "; tags are read-only: create a branch from it" : ""));
    }
    return r;
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
    // before the time, walking the reference's history (first parents) from its head.
    String[] found = new String[1];
    if (!r.hash().equals(noAncestor)) {
      try {
        store.log(r.hash(), false, 100, c -> {
          Instant made = c.meta().getCommitTime();
          if (made != null && !made.truncatedTo(ChronoUnit.MICROS).isAfter(t.time())) {
            found[0] = c.hash();
            return false;
          }
          return true;
        });
      } catch (VersionedStore.NotFound e) {
        throw new ReferenceNotFoundException(
            r.name(), r.type().word() + " " + r.name() + " does not exist anymore");
      }
    }
    if (found[0] != null) {
      return new ResolvedReference(r.name(), r.type(), found[0], found[0].equals(r.hash()));
    }
    throw new ReferenceNotFoundException(
        r.name(),
        r.type().word() + " " + r.name() + " has no commit at or before " + t.time()
            + "; SHOW LOG " + r.name() + " shows when its commits were made");
  }

  /**
   * A full commit hash from a full hash or a unique prefix of at least 8 hex characters, for
   * hashes Tarn itself resolved or pinned: a full hash is taken when the commit exists, wherever it
   * is. Hashes a user wrote go through {@link #findCommit}.
   */
  String commitHash(String hashOrPrefix) {
    String p = checkedHash(hashOrPrefix);
    if (p.length() == noAncestor.length()) {
      if (store.commitExists(p)) {
        return p;
      }
      throw notFound(hashOrPrefix);
    }
    return findCommit(hashOrPrefix, name -> true);
  }

  @Override
  public String findCommit(String hashOrPrefix, java.util.function.Predicate<String> searched) {
    String p = checkedHash(hashOrPrefix);
    boolean full = p.length() == noAncestor.length();
    Set<String> matches = new TreeSet<>();
    Set<String> seen = new HashSet<>();
    for (Reference r : listReferences()) {
      if (r.hash().equals(noAncestor) || !searched.test(r.name())) {
        continue;
      }
      try {
        store.log(r.hash(), false, 1000, c -> {
          String h = c.hash();
          if (seen.size() >= MAX_PREFIX_SCAN || !seen.add(h)) {
            return false; // this commit and its first-parent ancestors were already seen
          }
          if (h.startsWith(p)) {
            matches.add(h);
          }
          return !(full && !matches.isEmpty());
        });
      } catch (VersionedStore.NotFound e) {
        // the reference was dropped meanwhile
      }
      if (full && !matches.isEmpty()) {
        break;
      }
    }
    if (matches.isEmpty()) {
      throw notFound(hashOrPrefix);
    }
    if (matches.size() > 1) {
      throw new dev.tarn.catalog.AmbiguousCommitHashException(hashOrPrefix, List.copyOf(matches));
    }
    return matches.iterator().next();
  }

  /** The hash in lower case, if it can be one: hex digits, at least {@value #MIN_PREFIX} of them. */
  private static String checkedHash(String hashOrPrefix) {
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
    return p;
  }

  /** One message for every hash that finds nothing, whether or not some hidden commit has it. */
  private static ReferenceNotFoundException notFound(String hashOrPrefix) {
    return new ReferenceNotFoundException(
        hashOrPrefix,
        "no commit on any branch or tag starts with '" + hashOrPrefix
            + "'; SHOW LOG lists commit hashes");
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
    try {
      store.create(name, type, target.hash());
    } catch (VersionedStore.AlreadyExists e) {
      throw new ReferenceAlreadyExistsException(
          findReference(name).orElse(new Reference(name, type, target.hash())));
    } catch (VersionedStore.NotFound e) {
      throw new ReferenceNotFoundException(
          target.hash(), "commit " + target.hash() + " does not exist");
    }
    return findReference(name).orElse(new Reference(name, type, target.hash()));
  }

  private static void validateName(String name, ReferenceType type) {
    if (name != null && name.equalsIgnoreCase(Identifiers.TEMPORARY_QUALIFIER)) {
      throw new CatalogException("'" + name + "' is not a valid " + type.word() + " name: " + Identifiers.TEMPORARY_QUALIFIER
          + " is reserved for the session's temporary tables (temp.x, temp.main.x), as in DuckDB");
    }
    if (name == null || name.isBlank() || name.equals(Detached.REF_NAME)
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
    try {
      Failsafe.with(ConflictRetries.REFERENCE_CHANGES).run(() -> {
        Reference r = reference(name, type);
        try {
          store.delete(r.name(), r.type(), r.hash());
        } catch (VersionedStore.NotFound e) {
          throw ReferenceNotFoundException.of(name, type);
        }
      });
    } catch (FailsafeException e) {
      throw ConflictRetries.gaveUp(e, type.word() + " " + name + " kept moving while being dropped; try again");
    }
  }

  @Override
  public Reference assignBranch(String name, At to) {
    ResolvedReference target = resolve(to);
    try {
      return Failsafe.with(ConflictRetries.REFERENCE_CHANGES).get(() -> {
        Reference r = findReference(name).orElseThrow(
            () -> ReferenceNotFoundException.of(name, ReferenceType.BRANCH));
        if (r.isTag()) {
          throw new ReadOnlyReferenceException(
              "tag " + name + " is read-only and cannot be assigned; create a branch from it");
        }
        try {
          store.assign(name, r.hash(), target.hash());
        } catch (VersionedStore.NotFound e) {
          throw new ReferenceNotFoundException(
              name, "branch " + name + " or commit " + target.hash() + " does not exist");
        }
        return findReference(name).orElse(new Reference(name, ReferenceType.BRANCH, target.hash()));
      });
    } catch (FailsafeException e) {
      throw ConflictRetries.gaveUp(e, "branch " + name + " kept moving while being assigned; try again");
    }
  }

  // ---------------------------------------------------------------- history

  @Override
  public List<CommitInfo> log(At at, int limit) {
    ResolvedReference r = resolve(at);
    List<CommitInfo> out = new ArrayList<>();
    if (limit <= 0 || r.hash().equals(noAncestor)) {
      return out;
    }
    try {
      store.log(r.hash(), true, limit, c -> {
        out.add(toCommitInfo(c));
        return out.size() < limit;
      });
    } catch (VersionedStore.NotFound e) {
      throw new ReferenceNotFoundException(r.hash(), r.describe() + " does not exist anymore");
    }
    return out;
  }

  private CommitInfo toCommitInfo(VersionedStore.StoredCommit c) {
    CommitMeta meta = c.meta();
    String parent = c.parentHash();
    Set<TableId> tables = new TreeSet<>();
    for (ContentKey key : c.changedKeys()) {
      TableId id = tableId(key);
      if (id != null) {
        tables.add(id);
      }
    }
    return new CommitInfo(
        c.hash(),
        parent == null || parent.equals(noAncestor) ? null : parent,
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
    try {
      return ContentKey.of(id.namespace(), id.name());
    } catch (IllegalArgumentException e) {
      // Nessie refuses some names outright (control characters): name the rule, as creating would.
      Identifiers.require(id);
      throw new InvalidIdentifierException("table name " + id + " cannot be stored: " + e.getMessage());
    }
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
    try {
      store.diff(a, b, (key, before, after) -> out.put(key, new Content[] {before, after}));
    } catch (VersionedStore.NotFound e) {
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

    String ancestor = commonAncestor(src, target, head);
    // After merges both ways the branches share several ancestors. Nessie may name an older one,
    // under which a table one side compacted (rewriting files the other side holds too) looks only
    // appended to, or a table only one side changed since the newest looks changed on both. The
    // rules judge from the newest shared ancestor, as git does.
    // When one head descends from the other (nothing to bring over, or a fast-forward such as a
    // pipeline run's), that head is the only newest shared ancestor: no walk is needed.
    boolean linear = ancestor.equals(head) || ancestor.equals(src.hash());
    String newest = linear ? ancestor
        : new NewestCommonAncestor(store, noAncestor, MAX_COMMITS_TO_NEWEST_ANCESTOR).of(src.hash(), head)
            .orElse(ancestor);
    List<Conflict> conflicts = new ArrayList<>();
    Compared compared = comparedSides(newest, src, sourceName, target, head, conflicts);
    Map<ContentKey, Content[]> sourceChanges = compared.sourceChanges();
    Map<ContentKey, Content[]> targetChanges = compared.targetChanges();
    Map<ContentKey, AppendUnion.Union> unions = compared.unions();
    // Judged from a newer ancestor than Nessie's merge uses: it is told per key what to leave.
    NewestAncestorMerge plan = newest.equals(ancestor) || !conflicts.isEmpty() || sourceChanges.isEmpty()
        ? null : planFromNewest(ancestor, src, sourceName, target, compared, conflicts);
    conflicts.sort(Comparator.comparing(Conflict::table));
    List<TableId> changed = List.copyOf(compared.tablesChanged());
    List<TableId> unioned = unions.keySet().stream().map(NessieBranchCatalog::tableId).sorted().toList();

    if (newest.equals(src.hash()) || sourceChanges.isEmpty() && conflicts.isEmpty()
        && !newest.equals(head)) {
      // nothing to bring over
      return new MergeResult(false, false, sourceName, src.hash(), target, newest, head,
          List.of(), List.of());
    }
    boolean fastForward = newest.equals(head) && options.fastForward();
    if (!conflicts.isEmpty()) {
      MergeResult r = new MergeResult(false, false, sourceName, src.hash(), target, newest,
          head, conflicts, changed, unioned);
      if (options.dryRun()) {
        return r;
      }
      throw new MergeConflictException(r);
    }
    if (options.dryRun()) {
      return new MergeResult(false, fastForward, sourceName, src.hash(), target, newest, head,
          List.of(), changed, unioned);
    }
    if (fastForward) {
      try {
        store.assign(target, head, src.hash());
      } catch (VersionedStore.Conflict e) {
        throw new ReferenceConflictException(
            target, head, findReference(target).map(Reference::hash).orElse(null));
      } catch (VersionedStore.NotFound e) {
        throw ReferenceNotFoundException.of(target, ReferenceType.BRANCH);
      }
      return new MergeResult(true, true, sourceName, src.hash(), target, newest, src.hash(),
          List.of(), changed);
    }
    return applyMerge(src, sourceName, target, head, newest, options, changed, unioned,
        plan == null
            ? written -> resolvedUnions(written, unions, targetChanges, compared.changedAlike())
            : written -> plan.behaviors(key -> AppendUnion.write(written, tableId(key),
                targetChanges.get(key)[1].getId(), unions.get(key))));
  }

  /**
   * The per-key behaviours that make Nessie's merge, which applies the source's changes since
   * {@code storeAncestor}, leave what the comparison from the newest shared ancestor decided
   * ({@code compared}); adds a conflict for each table no behaviour can say.
   */
  private NewestAncestorMerge planFromNewest(String storeAncestor, ResolvedReference src, String sourceName,
      String target, Compared compared, List<Conflict> conflicts) {
    Set<ContentKey> adding = new HashSet<>();
    Set<ContentKey> addingNothing = new HashSet<>();
    compared.unions().forEach((key, u) -> (u.added().isEmpty() ? addingNothing : adding).add(key));
    NewestAncestorMerge plan = new NewestAncestorMerge(diffContents(storeAncestor, src.hash()),
        compared.sourceChanges(), compared.targetChanges(), adding, addingNothing);
    for (ContentKey key : plan.inexpressible()) {
      TableId id = tableId(key);
      String name = id != null ? id.toString() : String.join(".", key.getElements());
      conflicts.add(new Conflict(name, Conflict.Kind.OTHER, name + ": after merges both ways between "
          + sourceName + " and " + target + ", the catalog's merge cannot be made to leave the version"
          + " judged from their newest common ancestor"));
    }
    return plan;
  }

  /**
   * Commits a merge of {@code src} into {@code target} at {@code head}; {@code behaviors} writes
   * whatever merged table versions it needs through the file IO it is given and returns the
   * per-key behaviours. Files written for a merge that does not land are deleted.
   */
  private MergeResult applyMerge(ResolvedReference src, String sourceName, String target, String head,
      String ancestor, MergeOptions options, List<TableId> changed, List<TableId> unioned,
      Function<FileIO, List<MergeKeyBehavior>> behaviors) {
    CommitMeta meta = commitMeta(
        options.message() != null ? options.message() : "Merge " + sourceName + " into " + target,
        options.author());
    TrackingFileIO written = new TrackingFileIO(io);
    VersionedStore.MergeOutcome r;
    try {
      List<MergeKeyBehavior> resolved = behaviors.apply(written);
      r = store.merge(src.name(), src.type(), src.hash(), target, head, meta, false, resolved);
    } catch (VersionedStore.Conflict e) {
      written.deleteCreated();
      throw new ReferenceConflictException(
          target, head, findReference(target).map(Reference::hash).orElse(null));
    } catch (VersionedStore.NotFound e) {
      written.deleteCreated();
      throw ReferenceNotFoundException.of(target, ReferenceType.BRANCH);
    } catch (RuntimeException e) {
      if (!(e instanceof VersionedStore.OutcomeUnknown)) {
        written.deleteCreated();
      }
      throw e;
    }
    if (!r.conflicts().isEmpty() || !r.applied()) {
      written.deleteCreated();
    }
    if (!r.conflicts().isEmpty()) {
      throw new MergeConflictException(new MergeResult(false, false, sourceName, src.hash(),
          target, ancestor, head, conflicts(r.conflicts()), changed, unioned));
    }
    String result = r.resultHash() != null ? r.resultHash() : head;
    return new MergeResult(r.applied(), false, sourceName, src.hash(), target, ancestor,
        result, List.of(), changed, unioned);
  }

  /**
   * Both sides' changes since {@code ancestor}, the tables changed, the unions of appends, and the
   * keys both sides changed to the same version (one merge brought it to both, say).
   */
  private record Compared(Map<ContentKey, Content[]> sourceChanges, Map<ContentKey, Content[]> targetChanges,
      Set<TableId> tablesChanged, Map<ContentKey, AppendUnion.Union> unions, Set<ContentKey> changedAlike) {}

  /**
   * Compares both sides' changes since {@code ancestor}: keys changed on both become unions of
   * appends where that rule allows, conflicts (added to {@code conflicts}) otherwise.
   */
  private Compared comparedSides(String ancestor, ResolvedReference src, String sourceName, String target,
      String head, List<Conflict> conflicts) {
    Map<ContentKey, Content[]> sourceChanges = diffContents(ancestor, src.hash());
    Map<ContentKey, Content[]> targetChanges = diffContents(ancestor, head);
    Set<TableId> tablesChanged = new TreeSet<>();
    Map<ContentKey, AppendUnion.Union> unions = new LinkedHashMap<>();
    Set<ContentKey> changedAlike = new LinkedHashSet<>();
    for (Map.Entry<ContentKey, Content[]> e : sourceChanges.entrySet()) {
      TableId id = tableId(e.getKey());
      if (id != null) {
        tablesChanged.add(id);
      }
      Content[] theirs = targetChanges.get(e.getKey());
      if (theirs == null) {
        continue;
      }
      if (Objects.equals(theirs[1], e.getValue()[1])) {
        changedAlike.add(e.getKey());
        continue;
      }
      String name = id != null ? id.toString() : String.join(".", e.getKey().getElements());
      String why = "changed on both " + sourceName + " and " + target + " since their common ancestor";
      if (id != null && (e.getValue()[1] instanceof IcebergView || theirs[1] instanceof IcebergView)) {
        conflicts.add(new Conflict(name, Conflict.Kind.CHANGED_ON_BOTH_SIDES, "view " + name + " was " + why));
        continue;
      }
      if (id != null) {
        AppendUnion.Decision d = AppendUnion.decide(io, id, e.getValue()[0], e.getValue()[1],
            theirs[1], sourceName, target);
        if (d instanceof AppendUnion.Union union) {
          unions.put(e.getKey(), union);
          continue;
        }
        why += ", not only by appends: " + ((AppendUnion.Refused) d).reason();
      }
      conflicts.add(new Conflict(name, Conflict.Kind.CHANGED_ON_BOTH_SIDES,
          (id != null ? "table " : "schema ") + name + " was " + why));
    }
    return new Compared(sourceChanges, targetChanges, tablesChanged, unions, changedAlike);
  }

  /**
   * Writes the merged version of every table both sides only appended to, and tells the store to
   * put it, provided the target still holds the version the union was built on. A key both sides
   * changed to the same version keeps the target's: the store would otherwise see the target no
   * longer holding the ancestor's version and call it a conflict.
   */
  private static List<MergeKeyBehavior> resolvedUnions(FileIO written,
      Map<ContentKey, AppendUnion.Union> unions, Map<ContentKey, Content[]> targetChanges,
      Set<ContentKey> changedAlike) {
    List<MergeKeyBehavior> resolved = new ArrayList<>();
    changedAlike.forEach(key -> resolved.add(MergeKeyBehavior.of(key, MergeBehavior.DROP)));
    for (Map.Entry<ContentKey, AppendUnion.Union> u : unions.entrySet()) {
      ContentKey key = u.getKey();
      Content onTarget = targetChanges.get(key)[1];
      if (u.getValue().added().isEmpty()) {
        // the target already holds every file the source added: it keeps its version
        resolved.add(MergeKeyBehavior.of(key, MergeBehavior.DROP));
        continue;
      }
      Content merged = AppendUnion.write(written, tableId(key), onTarget.getId(), u.getValue());
      resolved.add(MergeKeyBehavior.of(key, MergeBehavior.NORMAL, onTarget, merged));
    }
    return resolved;
  }

  /** The common ancestor as Nessie computes it (following merge parents), via a dry-run merge. */
  private String commonAncestor(ResolvedReference src, String target, String head) {
    if (src.hash().equals(head)) {
      return head;
    }
    VersionedStore.MergeOutcome r;
    try {
      r = store.merge(src.name(), src.type(), src.hash(), target, head, null, true, List.of());
    } catch (VersionedStore.Conflict e) {
      throw new ReferenceConflictException(
          target, head, findReference(target).map(Reference::hash).orElse(null));
    } catch (VersionedStore.NotFound e) {
      throw ReferenceNotFoundException.of(target, ReferenceType.BRANCH);
    }
    return r.commonAncestor() == null ? noAncestor : r.commonAncestor();
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
        && Content.Type.NAMESPACE.equals(type), (key, content) -> out.add(key.getName()));
    return List.copyOf(out);
  }

  @Override
  public List<TableEntry> listTables(At at, String namespace) {
    ResolvedReference r = resolve(at);
    List<TableEntry> out = new ArrayList<>();
    forEachKey(r.hash(), true,
        (key, type) -> key.getElementCount() == 2 && Content.Type.ICEBERG_TABLE.equals(type)
            && (namespace == null || key.getElements().get(0).equals(namespace)),
        (key, content) -> {
          IcebergTable t = (IcebergTable) content;
          out.add(new TableEntry(tableId(key), t.getId(), t.getMetadataLocation()));
        });
    out.sort(Comparator.comparing(TableEntry::id));
    return out;
  }

  private void forEachKey(String hash, boolean withContent,
      java.util.function.BiPredicate<ContentKey, Content.Type> filter,
      java.util.function.BiConsumer<ContentKey, Content> action) {
    if (hash.equals(noAncestor)) {
      return;
    }
    try {
      store.entries(hash, withContent, filter, action);
    } catch (VersionedStore.NotFound e) {
      throw new ReferenceNotFoundException(hash, "commit " + hash + " does not exist");
    }
  }

  @Override
  public List<ViewEntry> listViews(At at, String namespace) {
    ResolvedReference r = resolve(at);
    List<ViewEntry> out = new ArrayList<>();
    forEachKey(r.hash(), true,
        (key, type) -> key.getElementCount() == 2 && Content.Type.ICEBERG_VIEW.equals(type)
            && (namespace == null || key.getElements().get(0).equals(namespace)),
        (key, content) -> out.add(view(tableId(key), (IcebergView) content)));
    out.sort(Comparator.comparing(ViewEntry::id));
    return out;
  }

  @Override
  public Optional<ViewEntry> findView(At at, TableId view) {
    Content c = contentAt(resolve(at).hash(), key(view));
    return c instanceof IcebergView v ? Optional.of(view(view, v)) : Optional.empty();
  }

  /** A view from its content; the SQL Tarn keeps in the content, the rest from its metadata file. */
  private ViewEntry view(TableId id, IcebergView content) {
    return ViewMetadataFiles.read(io, id, content.getMetadataLocation());
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
    if (hash.equals(noAncestor)) {
      return null;
    }
    try {
      return store.content(hash, key);
    } catch (VersionedStore.NotFound e) {
      throw new ReferenceNotFoundException(hash, "commit " + hash + " does not exist");
    }
  }

  @Override
  public Table loadTable(At at, TableId table) {
    ResolvedReference r = resolve(at);
    TableEntry e = tableAt(r.hash(), table)
        .orElseThrow(() -> new TableNotFoundException(table, r.describe()));
    TableMetadata metadata;
    try {
      metadata = MetadataFiles.read(io, e.metadataLocation());
    } catch (org.apache.iceberg.exceptions.NotFoundException gone) {
      throw new CatalogException("table " + table + " at " + r.describe() + " can no longer be read: its"
          + " metadata file is gone (EXPIRE SNAPSHOTS removes the files of commits older than its cutoff)", gone);
    }
    String label = r.name() != null ? r.name() : r.hash();
    return new BaseTable(
        new ReadOnlyTableOperations(io, metadata, r.describe()), label + "." + table);
  }

  // ---------------------------------------------------------------- housekeeping

  @Override
  public Housekeeping removeUnreferencedFiles(Retention retention, boolean dryRun) {
    return new UnreferencedFiles(store, io, warehouse, noAncestor).run(retention, dryRun, Instant.now());
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
    // the head the next attempt builds on: each conflict that moved the branch moves it forward
    AtomicReference<String> base = new AtomicReference<>(original);
    ReentrantLock turn = branchCommits[Math.floorMod(branch.hashCode(), branchCommits.length)];
    try {
      turn.lockInterruptibly(); // a cancelled statement stops waiting for its turn
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CatalogException("the commit to branch " + branch + " was cancelled while other commits to it"
          + " went first; nothing was committed", e);
    }
    try {
      return Failsafe.with(ConflictRetries.COMMITS).get(
          () -> commitOnce(branch, original, base, meta, changes.actions()));
    } catch (FailsafeException e) {
      throw ConflictRetries.gaveUp(e, "commit to branch " + branch + " gave up after "
          + ConflictRetries.MAX_COMMIT_ATTEMPTS + " attempts because other commits kept landing first;"
          + " nothing was committed; try again");
    } finally {
      turn.unlock();
    }
  }

  /**
   * One attempt at a commit on {@code base}. Throws {@link VersionedStore.Conflict}, to be retried,
   * after moving {@code base} to the branch's new head when other commits landed first; a conflict
   * with the branch where it was is the caller's, a {@link CommitConflictException}.
   */
  private CommitInfo commitOnce(String branch, String original, AtomicReference<String> base, CommitMeta meta,
      List<TableAction> actions) throws VersionedStore.Conflict {
    ChangeApplier applier = new ChangeApplier(this, branch, original, base.get(), actions);
    List<Operation> ops;
    // The manifests, manifest lists and metadata files the changes write are forced together,
    // before the commit that names them, rather than each with its folder as it is closed.
    try (DurableFiles.Deferred written = DurableFiles.Deferred.begin()) {
      ops = applier.apply();
      written.forceAll();
    } catch (java.io.IOException e) {
      applier.discard();
      throw new CommitRetryableException(
          "commit to branch " + branch + " failed, nothing was committed: cannot force its files to disk: "
              + e.getMessage(), e);
    }
    if (ops.isEmpty()) {
      return headInfo(branch);
    }
    try {
      return toCommitInfo(store.commit(branch, base.get(), meta, ops));
    } catch (VersionedStore.NotFound e) {
      applier.discard();
      throw new ReferenceNotFoundException(
          branch, "branch " + branch + " was dropped; nothing was committed");
    } catch (VersionedStore.Conflict e) {
      applier.discard();
      String head = findReference(branch).map(Reference::hash).orElseThrow(
          () -> new ReferenceNotFoundException(
              branch, "branch " + branch + " was dropped; nothing was committed"));
      if (head.equals(base.get())) {
        throw new CommitConflictException(branch, conflicts(e.conflicts()));
      }
      base.set(head);
      throw e;
    } catch (VersionedStore.OutcomeUnknown e) {
      throw e; // it may have landed: its files stay
    } catch (RuntimeException e) {
      applier.discard();
      if (e instanceof CatalogException ce) {
        throw ce;
      }
      throw new CommitRetryableException(
          "commit to branch " + branch + " failed, nothing was committed: " + e.getMessage(), e);
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

  /** The repository this catalog works on. */
  protected VersionedStore store() {
    return store;
  }

  @Override
  public void close() {
    store.close();
  }
}
