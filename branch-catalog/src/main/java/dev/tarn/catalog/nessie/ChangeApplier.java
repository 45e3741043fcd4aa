package dev.tarn.catalog.nessie;

import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.CommitConflictException;
import dev.tarn.catalog.Conflict;
import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.InvalidChangeException;
import dev.tarn.catalog.NamespaceAlreadyExistsException;
import dev.tarn.catalog.NamespaceNotEmptyException;
import dev.tarn.catalog.NamespaceNotFoundException;
import dev.tarn.catalog.SchemaChange;
import dev.tarn.catalog.TableAction;
import dev.tarn.catalog.TableAlreadyExistsException;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.TableNotFoundException;
import dev.tarn.catalog.iceberg.CallingThreadExecutor;
import dev.tarn.catalog.iceberg.DataFileConversion;
import dev.tarn.catalog.iceberg.LocalFileIO;
import dev.tarn.catalog.iceberg.MetadataFiles;
import dev.tarn.catalog.iceberg.RequiredFields;
import dev.tarn.catalog.iceberg.StagingTableOperations;
import dev.tarn.catalog.iceberg.TableFiles;
import dev.tarn.catalog.iceberg.TrackingFileIO;
import dev.tarn.catalog.iceberg.ViewMetadataFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.projectnessie.model.Content;
import org.projectnessie.model.ContentKey;
import org.projectnessie.model.IcebergTable;
import org.projectnessie.model.IcebergView;
import org.projectnessie.model.Namespace;
import org.projectnessie.model.Operation;

/**
 * One attempt at committing a change set: replays its steps on the state of the branch at {@code
 * base}, writes the resulting Iceberg manifests and metadata files, and returns the Nessie
 * operations of the one commit. If the attempt does not land, {@link #discard()} deletes the files
 * it wrote.
 *
 * <p>When {@code base} differs from {@code original} (the commit the change was prepared against),
 * the branch moved meanwhile: appends are simply re-applied; any other step on a table fails with
 * {@link CommitConflictException} if that table changed between the two.
 */
final class ChangeApplier {
  private final NessieBranchCatalog catalog;
  private final String branch;
  private final String original;
  private final String base;
  private final List<TableAction> actions;
  private final TrackingFileIO io;
  private final Map<String, Boolean> namespaces = new LinkedHashMap<>();
  private final Map<TableId, Staged> tables = new LinkedHashMap<>();
  /** Views this change set creates, replaces (their new content) or drops (null). */
  private final Map<TableId, IcebergView> views = new LinkedHashMap<>();
  private final Map<ContentKey, Content> baseContent = new HashMap<>();
  private final List<Conflict> conflicts = new ArrayList<>();

  /** A table as this change set sees it. */
  private static final class Staged {
    final TableId id;
    /** Nessie content id: that of the table at base, or of the table this one replaces. */
    final String contentId;
    final boolean created;
    StagingTableOperations ops;
    boolean dropped;

    Staged(TableId id, String contentId, boolean created, StagingTableOperations ops) {
      this.id = id;
      this.contentId = contentId;
      this.created = created;
      this.ops = ops;
    }
  }

  ChangeApplier(NessieBranchCatalog catalog, String branch, String original, String base,
      List<TableAction> actions) {
    this.catalog = catalog;
    this.branch = branch;
    this.original = original;
    this.base = base;
    this.actions = actions;
    this.io = new TrackingFileIO(catalog.io());
  }

  private String where() {
    return "branch " + branch;
  }

  private Content contentAtBase(ContentKey key) {
    return baseContent.computeIfAbsent(key, k -> catalog.contentAt(base, k));
  }

  /** Applies every step; returns the Nessie operations (empty if nothing changes). */
  List<Operation> apply() {
    try {
      for (TableAction action : actions) {
        applyOne(action);
      }
      if (!conflicts.isEmpty()) {
        throw new CommitConflictException(branch, conflicts);
      }
      return operations();
    } catch (RuntimeException e) {
      discard();
      throw e;
    }
  }

  void discard() {
    io.deleteCreated();
  }

  private void applyOne(TableAction action) {
    if (action instanceof TableAction.CreateNamespace a) {
      if (namespaceExists(a.namespace())) {
        if (!a.ifNotExists()) {
          throw new NamespaceAlreadyExistsException(a.namespace(), where());
        }
        return;
      }
      namespaces.put(a.namespace(), true);
    } else if (action instanceof TableAction.DropNamespace a) {
      if (BranchCatalog.DEFAULT_NAMESPACE.equals(a.namespace())) {
        throw new InvalidChangeException(
            "schema " + a.namespace() + " always exists and cannot be dropped");
      }
      if (!namespaceExists(a.namespace())) {
        if (!a.ifExists()) {
          throw new NamespaceNotFoundException(a.namespace(), where());
        }
        return;
      }
      int count = tablesIn(a.namespace());
      if (count > 0) {
        throw new NamespaceNotEmptyException(a.namespace(), where(), count);
      }
      namespaces.put(a.namespace(), false);
    } else if (action instanceof TableAction.CreateTable a) {
      createTable(a);
    } else if (action instanceof TableAction.AppendFiles a) {
      Staged t = table(a.table(), true);
      Table table = new BaseTable(t.ops, a.table().toString());
      if (!a.files().isEmpty()) {
        // Manifest work on the calling thread: Iceberg's pool polls for completion every 10 ms,
        // which dominated small commits (benchmarks/README.md, B3).
        RequiredFields.check(a.table(), t.ops.current().schema(), a.files(), List.of());
        AppendFiles append = CallingThreadExecutor.inPlace(table.newAppend());
        for (DataFileSpec f : a.files()) {
          append.appendFile(toDataFile(t, f));
        }
        commitIceberg(a.table(), append::commit);
      }
    } else if (action instanceof TableAction.ReplaceFiles a) {
      Staged t = table(a.table(), false);
      replaceFiles(t, a.table(), a.removed(), a.added());
    } else if (action instanceof TableAction.CompactFiles a) {
      Staged t = table(a.table(), true);
      if (!t.created) {
        checkOnlyAppended(a.table());
      }
      replaceFiles(t, a.table(), a.removed(), a.added());
    } else if (action instanceof TableAction.UpdateSchema a) {
      Staged t = table(a.table(), false);
      UpdateSchema update = new BaseTable(t.ops, a.table().toString()).updateSchema();
      for (SchemaChange c : a.changes()) {
        schemaChange(a.table(), update, c);
      }
      commitIceberg(a.table(), update::commit);
    } else if (action instanceof TableAction.IcebergUpdates a) {
      if (a.creates()) {
        createFromUpdates(a);
      } else {
        applyUpdates(a);
      }
    } else if (action instanceof TableAction.CreateView a) {
      createView(a);
    } else if (action instanceof TableAction.DropView a) {
      dropView(a);
    } else if (action instanceof TableAction.DropTable a) {
      if (!tableExists(a.table()) && viewAt(a.table()) != null) {
        throw new InvalidChangeException(a.table() + " on " + where() + " is a view; DROP VIEW drops it");
      }
      if (!tableExists(a.table())) {
        if (!a.ifExists()) {
          throw new TableNotFoundException(a.table(), where());
        }
        return;
      }
      Staged t = table(a.table(), false);
      t.dropped = true;
    } else {
      throw new IllegalArgumentException("unknown change " + action);
    }
  }

  private boolean namespaceExists(String ns) {
    Boolean staged = namespaces.get(ns);
    if (staged != null) {
      return staged;
    }
    return contentAtBase(ContentKey.of(ns)) instanceof Namespace;
  }

  private int tablesIn(String ns) {
    int count = 0;
    for (var e : catalog.listTables(dev.tarn.catalog.At.commit(base), ns)) {
      Staged s = tables.get(e.id());
      if (s == null || !s.dropped) {
        count++;
      }
    }
    for (Staged s : tables.values()) {
      if (s.created && !s.dropped && s.id.namespace().equals(ns)) {
        count++;
      }
    }
    return count;
  }

  private boolean tableExists(TableId id) {
    Staged s = tables.get(id);
    if (s != null) {
      return !s.dropped;
    }
    return contentAtBase(NessieBranchCatalog.key(id)) instanceof IcebergTable;
  }

  /** A table's files stay under the warehouse, whoever chose the location. */
  private void requireInsideWarehouse(TableId id, String location) {
    String root = catalog.warehouseLocation();
    String prefix = root.endsWith("/") ? root : root + "/";
    if (!location.startsWith(prefix) || location.contains("/../") || location.contains("/./")
        || location.endsWith("/..")) {
      throw new InvalidChangeException("cannot write table " + id + ": the location " + location
          + " is not inside the warehouse " + root);
    }
  }

  /** The view of that name, as this change set left it (null: none). */
  private IcebergView viewAt(TableId id) {
    if (views.containsKey(id)) {
      return views.get(id);
    }
    return contentAtBase(NessieBranchCatalog.key(id)) instanceof IcebergView v ? v : null;
  }

  private void createView(TableAction.CreateView a) {
    TableId id = a.view();
    if (tableExists(id)) {
      throw TableAlreadyExistsException.name(id, "table", where(), "a view cannot take a table's name");
    }
    IcebergView existing = viewAt(id);
    if (existing != null && !a.orReplace()) {
      throw TableAlreadyExistsException.name(id, "view", where(), "CREATE OR REPLACE VIEW replaces it");
    }
    if (!namespaceExists(id.namespace())) {
      if (!BranchCatalog.DEFAULT_NAMESPACE.equals(id.namespace())) {
        throw new NamespaceNotFoundException(id.namespace(), where());
      }
      namespaces.put(id.namespace(), true);
    }
    String location = catalog.newTableLocation(id);
    requireInsideWarehouse(id, location);
    org.apache.iceberg.view.ViewMetadata m;
    try {
      m = ViewMetadataFiles.write(io, location, a.sql(), a.defaultNamespace(), a.schema());
    } catch (IllegalArgumentException | IllegalStateException | ValidationException e) {
      throw new InvalidChangeException("cannot create view " + id + ": " + e.getMessage(), e);
    }
    views.put(id, existing == null
        ? IcebergView.of(m.metadataFileLocation(), m.currentVersionId(), m.currentSchemaId(),
            ViewMetadataFiles.DIALECT, a.sql())
        : IcebergView.of(existing.getId(), m.metadataFileLocation(), m.currentVersionId(), m.currentSchemaId(),
            ViewMetadataFiles.DIALECT, a.sql()));
  }

  private void dropView(TableAction.DropView a) {
    TableId id = a.view();
    if (viewAt(id) == null) {
      if (tableExists(id)) {
        throw new InvalidChangeException(id + " on " + where() + " is a table; DROP TABLE drops it");
      }
      if (!a.ifExists()) {
        throw TableNotFoundException.view(id, where());
      }
      return;
    }
    views.put(id, null);
  }

  private void createTable(TableAction.CreateTable a) {
    TableId id = a.table();
    if (viewAt(id) != null) {
      throw TableAlreadyExistsException.name(id, "view", where(), "a table cannot take a view's name");
    }
    if (tableExists(id)) {
      if (!a.ifNotExists()) {
        throw new TableAlreadyExistsException(id, where());
      }
      return;
    }
    if (!namespaceExists(id.namespace())) {
      if (!BranchCatalog.DEFAULT_NAMESPACE.equals(id.namespace())) {
        throw new NamespaceNotFoundException(id.namespace(), where());
      }
      namespaces.put(id.namespace(), true);
    }
    Staged replaced = tables.get(id);
    Content atBase = contentAtBase(NessieBranchCatalog.key(id));
    String contentId = replaced != null ? replaced.contentId
        : atBase instanceof IcebergTable t ? t.getId() : null;
    Map<String, String> props = new HashMap<>(a.properties());
    props.putIfAbsent(TableProperties.FORMAT_VERSION, "2");
    // A caller that writes data files before the table exists (CREATE TABLE ... AS) picks the location.
    String chosen = props.remove(TableAction.CreateTable.LOCATION_PROPERTY);
    String location = chosen != null ? chosen : catalog.newTableLocation(id);
    requireInsideWarehouse(id, location);
    TableMetadata metadata;
    try {
      metadata = TableMetadata.newTableMetadata(
          a.schema(),
          a.spec() == null ? PartitionSpec.unpartitioned() : a.spec(),
          SortOrder.unsorted(),
          location,
          props);
    } catch (IllegalArgumentException | ValidationException e) {
      throw new InvalidChangeException("cannot create table " + id + ": " + e.getMessage(), e);
    }
    tables.put(id, new Staged(id, contentId, true, new StagingTableOperations(io, metadata)));
  }

  /**
   * The table for a step. {@code commutes} steps (appends) may be re-applied on a moved head;
   * other steps need the table unchanged since the change set's original base.
   */
  private Staged table(TableId id, boolean commutes) {
    Staged s = tables.get(id);
    if (s != null) {
      if (s.dropped) {
        throw new TableNotFoundException(id, where());
      }
      if (!commutes && !s.created) {
        checkUnchanged(id);
      }
      return s;
    }
    Content c = contentAtBase(NessieBranchCatalog.key(id));
    if (!(c instanceof IcebergTable t)) {
      if (!base.equals(original)
          && catalog.contentAt(original, NessieBranchCatalog.key(id)) != null) {
        conflicts.add(new Conflict(id.toString(), Conflict.Kind.DOES_NOT_EXIST,
            "table " + id + " was dropped by another commit"));
        throw new CommitConflictException(branch, conflicts);
      }
      throw new TableNotFoundException(id, where());
    }
    if (!commutes) {
      checkUnchanged(id);
    }
    TableMetadata metadata = MetadataFiles.read(io, t.getMetadataLocation());
    s = new Staged(id, t.getId(), false, new StagingTableOperations(io, metadata));
    tables.put(id, s);
    return s;
  }

  private void checkUnchanged(TableId id) {
    if (base.equals(original)) {
      return;
    }
    ContentKey key = NessieBranchCatalog.key(id);
    Content before = catalog.contentAt(original, key);
    Content now = contentAtBase(key);
    if (!Objects.equals(before, now)
        && conflicts.stream().noneMatch(c -> c.table().equals(id.toString()))) {
      conflicts.add(new Conflict(id.toString(), Conflict.Kind.CHANGED_ON_BOTH_SIDES,
          "table " + id + " was changed by another commit after this change was prepared"));
    }
  }

  /**
   * A compaction lands on a moved head only if others merely appended to the table since the
   * change was prepared: every file it read is still there, and no row was deleted or rewritten.
   */
  private void checkOnlyAppended(TableId id) {
    if (base.equals(original)) {
      return;
    }
    ContentKey key = NessieBranchCatalog.key(id);
    Content before = catalog.contentAt(original, key);
    Content now = contentAtBase(key);
    if (Objects.equals(before, now)) {
      return;
    }
    Optional<String> why;
    if (!(before instanceof IcebergTable b) || !(now instanceof IcebergTable n)
        || !b.getId().equals(n.getId())) {
      why = Optional.of("it was dropped or created again");
    } else {
      TableMetadata was = MetadataFiles.read(io, b.getMetadataLocation());
      TableMetadata is = MetadataFiles.read(io, n.getMetadataLocation());
      why = TableFiles.notOnlyAppended(was, TableFiles.of(io, was), is, TableFiles.of(io, is),
          "another commit");
    }
    if (why.isPresent()) {
      conflicts.add(new Conflict(id.toString(), Conflict.Kind.CHANGED_ON_BOTH_SIDES,
          "table " + id + " was changed by another commit after this change was prepared: "
              + why.get()));
      throw new CommitConflictException(branch, conflicts);
    }
  }

  private DataFile toDataFile(Staged t, DataFileSpec f) {
    TableMetadata m = t.ops.current();
    return DataFileConversion.toDataFile(f, m.schema(), m.spec());
  }

  private void replaceFiles(Staged t, TableId id, List<String> removed, List<DataFileSpec> added) {
    Table table = new BaseTable(t.ops, id.toString());
    Map<String, DataFile> current = new HashMap<>();
    Snapshot snapshot = table.currentSnapshot();
    if (snapshot != null && !removed.isEmpty()) {
      TableScan scan = table.newScan().planWith(CallingThreadExecutor.INSTANCE);
      if (RequiredFields.any(table.schema())) {
        scan = scan.includeColumnStats(); // the removed files' null counts, which a scan leaves out by default
      }
      try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
        for (FileScanTask task : tasks) {
          current.put(task.file().location(), task.file());
          // Another engine may name a local file by a file: URI; Tarn's engine names it by its path.
          current.putIfAbsent(LocalFileIO.localPath(task.file().location()), task.file());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    OverwriteFiles overwrite = CallingThreadExecutor.inPlace(table.newOverwrite());
    List<DataFile> removedFiles = new ArrayList<>();
    for (String path : removed) {
      DataFile f = current.get(path);
      if (f == null) {
        throw new InvalidChangeException(
            "data file " + path + " is not part of table " + id + " on " + where());
      }
      overwrite.deleteFile(f);
      removedFiles.add(f);
    }
    RequiredFields.check(id, t.ops.current().schema(), added, removedFiles);
    for (DataFileSpec f : added) {
      overwrite.addFile(toDataFile(t, f));
    }
    if (!removed.isEmpty() || !added.isEmpty()) {
      commitIceberg(id, overwrite::commit);
    }
  }

  /** An engine's commit to an existing table: its requirements hold on this head, then its updates apply. */
  private void applyUpdates(TableAction.IcebergUpdates a) {
    TableId id = a.table();
    Staged t = table(id, true);
    TableMetadata current = t.ops.current();
    for (UpdateRequirement requirement : a.requirements()) {
      try {
        requirement.validate(current);
      } catch (CommitFailedException e) {
        conflicts.add(new Conflict(id.toString(), Conflict.Kind.CHANGED_ON_BOTH_SIDES,
            "table " + id + " changed since the engine read it: " + e.getMessage()));
        throw new CommitConflictException(branch, conflicts);
      }
    }
    TableMetadata updated = applied(id, current, TableMetadata.buildFrom(current), a.updates());
    commitIceberg(id, () -> t.ops.commit(current, updated));
  }

  /** An engine's staged create: the table must not exist; the updates build its whole metadata. */
  private void createFromUpdates(TableAction.IcebergUpdates a) {
    TableId id = a.table();
    if (viewAt(id) != null) {
      throw TableAlreadyExistsException.name(id, "view", where(), "a table cannot take a view's name");
    }
    if (tableExists(id)) {
      conflicts.add(new Conflict(id.toString(), Conflict.Kind.ALREADY_EXISTS,
          "table " + id + " already exists on " + where()));
      throw new CommitConflictException(branch, conflicts);
    }
    if (!namespaceExists(id.namespace())) {
      throw new NamespaceNotFoundException(id.namespace(), where());
    }
    for (UpdateRequirement requirement : a.requirements()) {
      if (!(requirement instanceof UpdateRequirement.AssertTableDoesNotExist)) {
        throw new InvalidChangeException("cannot create table " + id + ": a create can only require that"
            + " the table does not exist, not " + requirement.getClass().getSimpleName());
      }
    }
    TableMetadata created = applied(id, null, TableMetadata.buildFromEmpty(), a.updates());
    dev.tarn.catalog.Identifiers.requireColumns(id, created.schema());
    Staged replaced = tables.get(id);
    Content atBase = contentAtBase(NessieBranchCatalog.key(id));
    String contentId = replaced != null ? replaced.contentId
        : atBase instanceof IcebergTable t ? t.getId() : null;
    tables.put(id, new Staged(id, contentId, true, new StagingTableOperations(io, created)));
  }

  /**
   * Applies an engine's metadata updates. Every location they bring must be a folder or file of the
   * warehouse: a table elsewhere, or a snapshot listing files elsewhere, would let an engine make
   * the server read any file it can reach. Every schema they add follows Tarn's rules for column
   * names.
   */
  private TableMetadata applied(TableId id, TableMetadata base, TableMetadata.Builder builder,
      List<MetadataUpdate> updates) {
    TableMetadata result;
    try {
      for (MetadataUpdate update : updates) {
        if (update instanceof MetadataUpdate.SetLocation set) {
          requireInsideWarehouse(id, set.location());
        } else if (update instanceof MetadataUpdate.AddSchema add) {
          // the same rule for column names as a create: a later schema change must not bring what a create may not
          dev.tarn.catalog.Identifiers.requireColumns(id, add.schema());
        }
        update.applyTo(builder);
      }
      result = builder.build();
    } catch (IllegalArgumentException | IllegalStateException | ValidationException e) {
      throw new InvalidChangeException("cannot change table " + id + ": " + e.getMessage(), e);
    }
    if (result.location() == null) {
      throw new InvalidChangeException("cannot create table " + id + ": the updates set no location");
    }
    requireInsideWarehouse(id, result.location());
    requireFilesInsideWarehouse(id, base, result);
    return result;
  }

  /**
   * Every file the snapshots an engine adds can name lies inside the warehouse: their manifest lists,
   * their manifests, and every entry of every manifest the table's current snapshot did not already
   * have (whatever snapshot id an entry carries: a hand-made manifest list may point at any manifest).
   */
  private void requireFilesInsideWarehouse(TableId id, TableMetadata base, TableMetadata result) {
    Set<Long> known = new HashSet<>();
    Set<String> knownManifests = new HashSet<>();
    if (base != null) {
      base.snapshots().forEach(s -> known.add(s.snapshotId()));
      if (base.currentSnapshot() != null) {
        base.currentSnapshot().allManifests(io).forEach(m -> knownManifests.add(m.path()));
      }
    }
    for (Snapshot snapshot : result.snapshots()) {
      if (known.contains(snapshot.snapshotId())) {
        continue;
      }
      if (snapshot.manifestListLocation() != null) {
        requireInsideWarehouse(id, snapshot.manifestListLocation());
      }
      for (ManifestFile manifest : snapshot.allManifests(io)) {
        requireInsideWarehouse(id, manifest.path());
        if (knownManifests.add(manifest.path())) {
          requireEntriesInsideWarehouse(id, manifest, result);
        }
      }
    }
  }

  private void requireEntriesInsideWarehouse(TableId id, ManifestFile manifest, TableMetadata table) {
    try (CloseableIterable<? extends ContentFile<?>> files = manifest.content() == ManifestContent.DATA
        ? ManifestFiles.read(manifest, io, table.specsById())
        : ManifestFiles.readDeleteManifest(manifest, io, table.specsById())) {
      for (ContentFile<?> f : files) {
        requireInsideWarehouse(id, f.location());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest " + manifest.path() + " of table " + id, e);
    }
  }

  private static void schemaChange(TableId id, UpdateSchema update, SchemaChange c) {
    try {
      if (c instanceof SchemaChange.AddColumn add) {
        int dot = add.name().lastIndexOf('.');
        if (dot < 0) {
          update.addColumn(add.name(), add.type(), add.doc());
        } else {
          update.addColumn(add.name().substring(0, dot), add.name().substring(dot + 1),
              add.type(), add.doc());
        }
      } else if (c instanceof SchemaChange.DropColumn drop) {
        update.deleteColumn(drop.name());
      } else if (c instanceof SchemaChange.RenameColumn rename) {
        update.renameColumn(rename.name(), rename.newName());
      } else if (c instanceof SchemaChange.WidenColumn widen) {
        update.updateColumn(widen.name(), widen.newType());
      }
    } catch (IllegalArgumentException | IllegalStateException | ValidationException e) {
      throw new InvalidChangeException(
          "cannot change the schema of table " + id + ": " + e.getMessage(), e);
    }
  }

  private static void commitIceberg(TableId id, Runnable commit) {
    try {
      commit.run();
    } catch (IllegalArgumentException | IllegalStateException | ValidationException e) {
      throw new InvalidChangeException("cannot change table " + id + ": " + e.getMessage(), e);
    }
  }

  private List<Operation> operations() {
    List<Operation> ops = new ArrayList<>();
    for (Map.Entry<String, Boolean> e : namespaces.entrySet()) {
      ContentKey key = ContentKey.of(e.getKey());
      boolean existed = contentAtBase(key) instanceof Namespace;
      if (e.getValue() && !existed) {
        ops.add(Operation.Put.of(key, Namespace.of(key)));
      } else if (!e.getValue() && existed) {
        ops.add(Operation.Delete.of(key));
      }
    }
    for (Map.Entry<TableId, IcebergView> v : views.entrySet()) {
      ContentKey key = NessieBranchCatalog.key(v.getKey());
      if (v.getValue() != null) {
        ops.add(Operation.Put.of(key, v.getValue()));
      } else if (contentAtBase(key) instanceof IcebergView) {
        ops.add(Operation.Delete.of(key));
      }
    }
    for (Staged s : tables.values()) {
      ContentKey key = NessieBranchCatalog.key(s.id);
      if (s.dropped) {
        if (s.contentId != null && contentAtBase(key) != null) {
          ops.add(Operation.Delete.of(key));
        }
        continue;
      }
      if (!s.created && !s.ops.changed()) {
        continue;
      }
      TableMetadata m = s.ops.current();
      String location = MetadataFiles.write(io, m);
      Snapshot snap = m.currentSnapshot();
      IcebergTable content = s.contentId == null
          ? IcebergTable.of(location, snap == null ? -1 : snap.snapshotId(), m.currentSchemaId(),
              m.defaultSpecId(), m.defaultSortOrderId())
          : IcebergTable.of(location, snap == null ? -1 : snap.snapshotId(), m.currentSchemaId(),
              m.defaultSpecId(), m.defaultSortOrderId(), s.contentId);
      ops.add(Operation.Put.of(key, content));
    }
    return ops;
  }
}
