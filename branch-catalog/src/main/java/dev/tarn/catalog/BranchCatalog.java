package dev.tarn.catalog;

import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;

/**
 * Iceberg tables versioned by a Nessie catalog: git for data. Every table lives in a namespace
 * (SQL schema) on a reference; every change is a commit on a branch; branches, tags, merges and
 * time travel work over all tables at once.
 *
 * <p>Reads name a point in history with {@link At} (a branch or tag head, a commit hash or unique
 * 8+ hex prefix, a reference at a timestamp). Writes go through {@link #commit(ChangeSet)}: one
 * atomic commit over any number of tables, retried on a moved branch head when it commutes with
 * what landed meanwhile (appends), failed with {@link CommitConflictException} when it truly
 * conflicts. Tags and commits are read-only.
 *
 * <p>Implementations are thread-safe. Errors are {@link CatalogException}s with messages for users.
 */
public interface BranchCatalog extends AutoCloseable {

  /** The default branch, created with the catalog; it cannot be dropped. */
  String DEFAULT_BRANCH = "main";

  /** The namespace that always exists. */
  String DEFAULT_NAMESPACE = "public";

  /** In a warehouse folder on this machine, the folder holding the files of the tables Tarn creates. */
  String LOCAL_TABLES_FOLDER = "tables";

  // ---- references ----

  /** All branches and tags, sorted by name (branches and tags share one name space). */
  List<Reference> listReferences();

  default List<Reference> listBranches() {
    return listReferences().stream().filter(Reference::isBranch).toList();
  }

  default List<Reference> listTags() {
    return listReferences().stream().filter(Reference::isTag).toList();
  }

  /** The branch or tag called {@code name}, if any. */
  Optional<Reference> findReference(String name);

  /** The branch or tag called {@code name}; {@link ReferenceNotFoundException} if none. */
  default Reference getReference(String name) {
    return findReference(name).orElseThrow(() -> ReferenceNotFoundException.of(name, null));
  }

  /** Resolves a point in history to one commit. */
  ResolvedReference resolve(At at);

  /**
   * The full hash of the commit a user names by its hash or a unique prefix of at least 8 hex
   * characters, looked for only in the first-parent histories of the references whose names {@code
   * searched} accepts. A commit reachable from none of them (one only a hidden reference reaches, or
   * one of a dropped branch) is not found, with exactly the message of a hash that names no commit:
   * the answer tells nothing about references the caller may not see. Resolve the hash it returns
   * with {@link At#commit(String, String)}.
   *
   * @throws ReferenceNotFoundException if no such commit is found
   * @throws AmbiguousCommitHashException if a prefix names more than one of them
   */
  String findCommit(String hashOrPrefix, java.util.function.Predicate<String> searched);

  /** Creates a branch at the commit {@code from} resolves to. Costs one reference, no data. */
  Reference createBranch(String name, At from);

  /** Creates a tag at the commit {@code from} resolves to. */
  Reference createTag(String name, At from);

  /** Drops a branch; the default branch cannot be dropped. */
  void dropBranch(String name);

  void dropTag(String name);

  /**
   * Points a branch at another commit (rollback, fast-forward, reset), whatever the relation of
   * the two commits. Nothing is merged: the branch simply shows the state of {@code to}.
   */
  Reference assignBranch(String name, At to);

  // ---- history ----

  /** Commits reachable from {@code at}, newest first, at most {@code limit}. */
  List<CommitInfo> log(At at, int limit);

  /** Tables that differ from {@code from} to {@code to}, sorted by table. */
  List<TableChange> diff(At from, At to);

  /**
   * Merges {@code source} into the branch {@code target}, atomically over all tables. A table
   * changed on both sides since the common ancestor (to different states) is a conflict: the merge
   * then changes nothing and throws {@link MergeConflictException} naming every conflicting table
   * (a dry run returns them in the result instead). When the target has no commits of its own
   * since the common ancestor, the target simply moves to the source's head (fast-forward).
   */
  MergeResult merge(At source, String target, MergeOptions options);

  // ---- namespaces and tables ----

  /** Namespaces at {@code at}, sorted; always includes {@value #DEFAULT_NAMESPACE}. */
  List<String> listNamespaces(At at);

  default boolean namespaceExists(At at, String namespace) {
    return listNamespaces(at).contains(namespace);
  }

  /** Tables at {@code at}, in {@code namespace} or in all namespaces when null, sorted. */
  List<TableEntry> listTables(At at, String namespace);

  Optional<TableEntry> findTable(At at, TableId table);

  /** The views of {@code namespace} (all namespaces when null) at {@code at}, sorted by id. */
  List<ViewEntry> listViews(At at, String namespace);

  /** The view {@code view} at {@code at}, if there is one. */
  Optional<ViewEntry> findView(At at, TableId view);

  /**
   * The table as it is at {@code at}, as a read-only Iceberg table: scan planning, schema, specs,
   * snapshots and files work; committing through it fails (write with {@link #commit}).
   */
  Table loadTable(At at, TableId table);

  /** The FileIO the catalog reads and writes metadata with (data files can use it too). */
  FileIO io();

  /** The location a new table's files go under. */
  String warehouseLocation();

  /**
   * A fresh, unique location for a new table's files. Writers that produce data files before the
   * table is created (CREATE TABLE ... AS) pass it as the {@code tarn.location} property. The
   * names are checked first ({@link Identifiers}): one folder each, never a way out of the
   * warehouse.
   */
  default String newTableLocation(TableId table) {
    Identifiers.require(table);
    return warehouseLocation() + "/" + table.namespace() + "/" + table.name() + "_"
        + java.util.UUID.randomUUID().toString().replace("-", "");
  }

  // ---- housekeeping ----

  /**
   * Deletes the files under the warehouse that no kept commit refers to (see {@link Retention}):
   * every branch and tag, with its whole history, is looked at, so no file a reference, a commit
   * inside the retention window or a write in flight still needs is ever removed. With {@code
   * dryRun} nothing is deleted and the answer lists what would be.
   */
  Housekeeping removeUnreferencedFiles(Retention retention, boolean dryRun);

  // ---- writes ----

  /**
   * Commits a change set as one commit on its branch, with its message and author. Either every
   * step lands or none does.
   *
   * @throws ReadOnlyReferenceException if the target is a tag
   * @throws CommitConflictException if a step conflicts with a commit that landed meanwhile
   * @throws CommitRetryableException if the branch kept moving and retries ran out
   */
  CommitInfo commit(ChangeSet changes);

  @Override
  void close();
}
