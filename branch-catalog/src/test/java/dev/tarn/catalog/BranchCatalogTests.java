package dev.tarn.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BranchCatalog} backend must have. A backend's test extends this
 * class, hands out a catalog on an empty repository per test, and declares its capabilities.
 * Tests keep data files fake (metadata only) unless they say otherwise: the catalog never opens
 * data files.
 */
public abstract class BranchCatalogTests {

  /** The catalog under test: on an empty repository (only {@code main}), fresh for each test. */
  protected abstract BranchCatalog catalog();

  /**
   * Whether the backend can close its catalog and open it again on the same storage ({@link
   * #reopen()}). Embedded: the same warehouse directory; server: a new client.
   */
  protected boolean supportsReopen() {
    return false;
  }

  /** Closes the current catalog and opens it again on the same storage; returns the new one. */
  protected BranchCatalog reopen() {
    throw new UnsupportedOperationException();
  }

  /** Threads that write concurrently in the concurrency tests. */
  protected int writerThreads() {
    return 4;
  }

  // ---------------------------------------------------------------- fixtures

  protected static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "usd", Types.DoubleType.get()),
      Types.NestedField.optional(3, "country", Types.StringType.get()));

  protected static final TableId T1 = TableId.of("sales", "transactions");
  protected static final TableId T2 = TableId.of("sales", "customers");
  protected static final TableId T3 = TableId.of("public", "events");

  protected String main() {
    return BranchCatalog.DEFAULT_BRANCH;
  }

  /** A fake Parquet data file of {@code rows} rows under the warehouse. */
  protected DataFileSpec file(long rows) {
    return DataFileSpec.parquet(
        catalog().warehouseLocation() + "/data/" + UUID.randomUUID() + ".parquet",
        100 + rows, rows);
  }

  protected CommitInfo commit(String branch, String message, java.util.function.Consumer<ChangeSet> c) {
    ChangeSet cs = ChangeSet.on(branch).message(message).author("alice");
    c.accept(cs);
    return catalog().commit(cs);
  }

  /** Creates schema sales and tables T1, T2 (and T3 in public) on {@code branch}. */
  protected CommitInfo seed(String branch) {
    return commit(branch, "seed", cs -> cs
        .createNamespace("sales", true)
        .createTable(T1, SCHEMA)
        .createTable(T2, SCHEMA)
        .createTable(T3, SCHEMA));
  }

  protected CommitInfo append(String branch, TableId t, long rows) {
    return commit(branch, "INSERT INTO " + t, cs -> cs.appendFiles(t, file(rows)));
  }

  /** Rows in {@code table} at {@code at}, from the files' record counts. */
  protected long rows(At at, TableId table) {
    Table t = catalog().loadTable(at, table);
    if (t.currentSnapshot() == null) {
      return 0;
    }
    long n = 0;
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        n += task.file().recordCount();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  protected String head(String ref) {
    return catalog().getReference(ref).hash();
  }

  /**
   * A commit remembers the metadata file it wrote as it wrote it (the next statement does not parse
   * it back): what is remembered must be exactly what the file says.
   */
  @Test
  public void metadataRememberedAsWrittenEqualsTheFile() {
    seed(main());
    for (int i = 1; i <= 3; i++) {
      append(main(), T1, i);
    }
    Table table = catalog().loadTable(At.branch(main()), T1);
    org.apache.iceberg.TableMetadata remembered = ((org.apache.iceberg.HasTableOperations) table).operations().current();
    org.apache.iceberg.TableMetadata read = org.apache.iceberg.TableMetadataParser.read(catalog().io(),
        remembered.metadataFileLocation());
    assertEquals(org.apache.iceberg.TableMetadataParser.toJson(read),
        org.apache.iceberg.TableMetadataParser.toJson(remembered));
    assertEquals(3, remembered.snapshots().size());
    assertEquals(read.previousFiles().size(), remembered.previousFiles().size());
  }

  // ---------------------------------------------------------------- references

  @Test
  public void newCatalogHasMainAndPublic() {
    List<Reference> refs = catalog().listReferences();
    assertEquals(1, refs.size());
    assertEquals(main(), refs.get(0).name());
    assertEquals(ReferenceType.BRANCH, refs.get(0).type());
    assertEquals(List.of("public"), catalog().listNamespaces(At.branch(main())));
    assertEquals(List.of(), catalog().listTables(At.branch(main()), null));
  }

  @Test
  public void createListDropBranchesAndTags() {
    seed(main());
    Reference dev = catalog().createBranch("dev", At.branch(main()));
    assertEquals(head(main()), dev.hash());
    Reference v1 = catalog().createTag("v1", At.reference(main()));
    assertEquals(ReferenceType.TAG, v1.type());
    assertEquals(List.of("dev", "main"),
        catalog().listBranches().stream().map(Reference::name).toList());
    assertEquals(List.of("v1"), catalog().listTags().stream().map(Reference::name).toList());
    assertNotNull(catalog().getReference("dev").committedAt());

    ReferenceAlreadyExistsException dup = assertThrows(ReferenceAlreadyExistsException.class,
        () -> catalog().createBranch("v1", At.branch(main())));
    assertTrue(dup.getMessage().contains("tag v1 already exists"), dup.getMessage());
    assertThrows(ReferenceAlreadyExistsException.class,
        () -> catalog().createTag("dev", At.branch(main())));

    ReferenceNotFoundException nf = assertThrows(ReferenceNotFoundException.class,
        () -> catalog().createBranch("x", At.branch("nope")));
    assertTrue(nf.getMessage().contains("branch nope does not exist"), nf.getMessage());
    assertThrows(ReferenceNotFoundException.class, () -> catalog().resolve(At.tag("dev")));
    assertThrows(ReferenceNotFoundException.class, () -> catalog().dropTag("dev"));

    catalog().dropBranch("dev");
    catalog().dropTag("v1");
    assertEquals(List.of("main"), catalog().listReferences().stream().map(Reference::name).toList());
    assertThrows(ReferenceNotFoundException.class, () -> catalog().dropBranch("dev"));
    CatalogException e = assertThrows(CatalogException.class, () -> catalog().dropBranch(main()));
    assertTrue(e.getMessage().contains("default branch"), e.getMessage());
  }

  @Test
  public void createFromCommitAndHashPrefixes() {
    CommitInfo first = seed(main());
    append(main(), T1, 10);
    String prefix = first.hash().substring(0, 8);
    assertEquals(first.hash(), catalog().resolve(At.commit(prefix)).hash());
    assertEquals(first.hash(), catalog().resolve(At.commit(first.hash().toUpperCase())).hash());

    Reference old = catalog().createBranch("old", At.commit(main(), prefix));
    assertEquals(first.hash(), old.hash());
    assertEquals(0, rows(At.branch("old"), T1));
    assertEquals(10, rows(At.branch(main()), T1));

    ReferenceNotFoundException tooShort = assertThrows(ReferenceNotFoundException.class,
        () -> catalog().resolve(At.commit(first.hash().substring(0, 7))));
    assertTrue(tooShort.getMessage().contains("at least 8"), tooShort.getMessage());
    String missing = first.hash().startsWith("00000000") ? "ffffffff" : "00000000";
    ReferenceNotFoundException none = assertThrows(ReferenceNotFoundException.class,
        () -> catalog().resolve(At.commit(missing)));
    assertTrue(none.getMessage().contains(missing), none.getMessage());
    assertThrows(ReferenceNotFoundException.class, () -> catalog().resolve(At.commit("xyz12345")));
    assertFalse(catalog().resolve(At.commit(prefix)).writable());
  }

  /**
   * A commit a user names is found only on the references the caller may see; one that only a
   * hidden reference reaches answers exactly like a hash that names no commit.
   */
  @Test
  public void findCommitSearchesOnlyTheReferencesItIsGiven() {
    CommitInfo seeded = seed(main());
    catalog().createBranch("private_x", At.branch(main()));
    CommitInfo hidden = append("private_x", T1, 5);
    java.util.function.Predicate<String> publicOnly = name -> !name.startsWith("private_");

    assertEquals(hidden.hash(), catalog().findCommit(hidden.hash(), name -> true));
    assertEquals(hidden.hash(), catalog().findCommit(hidden.hash().substring(0, 10), name -> true));
    assertEquals(seeded.hash(), catalog().findCommit(seeded.hash().substring(0, 9), publicOnly),
        "a commit a visible reference reaches is found, whatever else reaches it");

    String absent = hidden.hash().startsWith("0") ? "f".repeat(hidden.hash().length())
        : "0".repeat(hidden.hash().length());
    for (int length : new int[] {8, 12, hidden.hash().length()}) {
      ReferenceNotFoundException hiddenOne = assertThrows(ReferenceNotFoundException.class,
          () -> catalog().findCommit(hidden.hash().substring(0, length), publicOnly));
      ReferenceNotFoundException missing = assertThrows(ReferenceNotFoundException.class,
          () -> catalog().findCommit(absent.substring(0, length), publicOnly));
      assertEquals(missing.getMessage().replace(absent.substring(0, length), "<hash>"),
          hiddenOne.getMessage().replace(hidden.hash().substring(0, length), "<hash>"),
          "a hidden commit answers like a missing one");
    }

    catalog().dropBranch("private_x");
    assertThrows(ReferenceNotFoundException.class, () -> catalog().findCommit(hidden.hash(), name -> true),
        "a commit no reference reaches any more is not found");
    assertEquals(hidden.hash(), catalog().resolve(At.commit(hidden.hash())).hash(),
        "a hash Tarn pinned itself still resolves");
  }

  @Test
  public void tagsAndCommitsAreReadOnly() {
    seed(main());
    catalog().createTag("v1", At.branch(main()));
    ReadOnlyReferenceException e = assertThrows(ReadOnlyReferenceException.class,
        () -> append("v1", T1, 1));
    assertEquals("tag v1 is read-only; create a branch from it", e.getMessage());
    assertThrows(ReadOnlyReferenceException.class,
        () -> catalog().assignBranch("v1", At.branch(main())));
    assertThrows(ReadOnlyReferenceException.class,
        () -> catalog().merge(At.branch(main()), "v1", MergeOptions.of("alice")));
    assertFalse(catalog().resolve(At.tag("v1")).writable());
    assertTrue(catalog().resolve(At.branch(main())).writable());
    Table t = catalog().loadTable(At.tag("v1"), T1);
    assertThrows(ReadOnlyReferenceException.class, () -> t.newAppend()
        .appendFile(org.apache.iceberg.DataFiles.builder(PartitionSpec.unpartitioned())
            .withPath("/x.parquet").withFileSizeInBytes(1).withRecordCount(1).build())
        .commit());
  }

  @Test
  public void assignRollsBackAndFastForwards() {
    seed(main());
    String before = head(main());
    append(main(), T1, 5);
    String after = head(main());
    Reference r = catalog().assignBranch(main(), At.commit(before));
    assertEquals(before, r.hash());
    assertEquals(0, rows(At.branch(main()), T1));
    catalog().assignBranch(main(), At.commit(after));
    assertEquals(5, rows(At.branch(main()), T1));
  }

  // ---------------------------------------------------------------- commits and log

  @Test
  public void commitsAppearInLogNewestFirst() {
    CommitInfo c1 = seed(main());
    CommitInfo c2 = append(main(), T1, 3);
    CommitInfo c3 = commit(main(), "INSERT INTO both", cs -> cs
        .appendFiles(T1, file(1)).appendFiles(T2, file(2)));
    assertEquals(List.of(T2, T1, T3).stream().sorted().toList(), c1.tablesChanged());
    assertEquals(c2.hash(), c3.parentHash());
    assertEquals(c1.hash(), c2.parentHash());

    List<CommitInfo> log = catalog().log(At.branch(main()), 100);
    assertEquals(List.of(c3.hash(), c2.hash(), c1.hash()),
        log.subList(0, 3).stream().map(CommitInfo::hash).toList());
    CommitInfo top = log.get(0);
    assertEquals("INSERT INTO both", top.message());
    assertEquals("alice", top.author());
    assertEquals(List.of(T2, T1), top.tablesChanged());
    assertEquals(c2.hash(), top.parentHash());
    assertNotNull(top.committedAt());
    assertEquals(2, catalog().log(At.branch(main()), 2).size());
    assertEquals(c2.hash(), catalog().log(At.commit(c2.hash()), 1).get(0).hash());
  }

  @Test
  public void multiTableCommitIsAtomic() {
    seed(main());
    String before = head(main());
    CommitInfo c = commit(main(), "CTAS", cs -> cs
        .createTable(TableId.of("sales", "summary"), SCHEMA)
        .appendFiles(TableId.of("sales", "summary"), file(7))
        .appendFiles(T1, file(3))
        .dropTable(T2, false));
    assertEquals(before, c.parentHash());
    assertEquals(List.of(T2, TableId.of("sales", "summary"), T1), c.tablesChanged());
    assertEquals(7, rows(At.branch(main()), TableId.of("sales", "summary")));
    assertTrue(catalog().findTable(At.branch(main()), T2).isEmpty());

    // a change set whose last step fails changes nothing
    String mid = head(main());
    assertThrows(TableNotFoundException.class, () -> commit(main(), "broken", cs -> cs
        .appendFiles(T1, file(100))
        .createTable(TableId.of("sales", "other"), SCHEMA)
        .appendFiles(TableId.of("sales", "missing"), file(1))));
    assertEquals(mid, head(main()));
    assertEquals(3, rows(At.branch(main()), T1));
    assertTrue(catalog().findTable(At.branch(main()), TableId.of("sales", "other")).isEmpty());
  }

  @Test
  public void namespacesAndTables() {
    BranchCatalog c = catalog();
    commit(main(), "CREATE SCHEMA sales", cs -> cs.createNamespace("sales", false));
    assertEquals(List.of("public", "sales"), c.listNamespaces(At.branch(main())));
    assertThrows(NamespaceAlreadyExistsException.class,
        () -> commit(main(), "again", cs -> cs.createNamespace("sales", false)));
    commit(main(), "again", cs -> cs.createNamespace("sales", true));
    NamespaceNotFoundException nsMissing = assertThrows(NamespaceNotFoundException.class,
        () -> commit(main(), "t", cs -> cs.createTable(TableId.of("nope", "t"), SCHEMA)));
    assertTrue(nsMissing.getMessage().contains("schema nope does not exist"));

    commit(main(), "t", cs -> cs.createTable(T1, SCHEMA).createTable(T3, SCHEMA));
    assertEquals(List.of(T1), c.listTables(At.branch(main()), "sales").stream()
        .map(TableEntry::id).toList());
    assertEquals(List.of(T3, T1), c.listTables(At.branch(main()), null).stream()
        .map(TableEntry::id).toList());
    assertThrows(TableAlreadyExistsException.class,
        () -> commit(main(), "t", cs -> cs.createTable(T1, SCHEMA)));
    NamespaceNotEmptyException notEmpty = assertThrows(NamespaceNotEmptyException.class,
        () -> commit(main(), "drop", cs -> cs.dropNamespace("sales", false)));
    assertTrue(notEmpty.getMessage().contains("1 table"), notEmpty.getMessage());
    assertThrows(InvalidChangeException.class,
        () -> commit(main(), "drop", cs -> cs.dropNamespace("public", false)));

    commit(main(), "drop", cs -> cs.dropTable(T1, false).dropNamespace("sales", false));
    assertEquals(List.of("public"), c.listNamespaces(At.branch(main())));
    TableNotFoundException tnf = assertThrows(TableNotFoundException.class,
        () -> c.loadTable(At.branch(main()), T1));
    assertEquals("table sales.transactions does not exist on branch main", tnf.getMessage());
    assertThrows(TableNotFoundException.class,
        () -> commit(main(), "drop", cs -> cs.dropTable(T1, false)));
    commit(main(), "drop", cs -> cs.dropTable(T1, true));
  }

  @Test
  public void createTableWithPartitionSpecAndExternalMetrics() {
    commit(main(), "CREATE SCHEMA", cs -> cs.createNamespace("sales", false));
    PartitionSpec spec = PartitionSpec.builderFor(SCHEMA).identity("country").build();
    commit(main(), "CREATE TABLE", cs -> cs.createTable(T1, SCHEMA, spec, Map.of(), false));
    Table t = catalog().loadTable(At.branch(main()), T1);
    assertEquals(SCHEMA.asStruct(), t.schema().asStruct());
    assertEquals(List.of("country"), t.spec().fields().stream().map(f -> f.name()).toList());

    String base = catalog().warehouseLocation() + "/data/";
    DataFileSpec us = DataFileSpec.parquet(base + "us.parquet", 1000, 10)
        .withPartitionPath("country=US")
        .withCounts(Map.of(1, 10L, 2, 10L), Map.of(1, 0L, 2, 1L))
        .withColumnSizes(Map.of(1, 80L, 2, 80L))
        .withBounds(Map.of(1, 1L, 2, 0.5d), Map.of(1, 10L, 2, 99.5d));
    DataFileSpec fr = DataFileSpec.parquet(base + "fr.parquet", 1000, 5)
        .withPartitionPath("country=FR")
        .withBounds(Map.of(1, 100L), Map.of(1, 200L));
    commit(main(), "INSERT", cs -> cs.appendFiles(T1, us, fr));

    t = catalog().loadTable(At.branch(main()), T1);
    List<DataFile> pruned = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks =
        t.newScan().filter(Expressions.greaterThan("id", 50L)).planFiles()) {
      tasks.forEach(task -> pruned.add(task.file()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals(List.of(base + "fr.parquet"), pruned.stream().map(DataFile::location).toList());
    try (CloseableIterable<FileScanTask> tasks =
        t.newScan().includeColumnStats().filter(Expressions.equal("country", "US")).planFiles()) {
      List<DataFile> files = new ArrayList<>();
      tasks.forEach(task -> files.add(task.file()));
      assertEquals(1, files.size());
      assertEquals(Long.valueOf(1), files.get(0).nullValueCounts().get(2));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThrows(InvalidChangeException.class, () -> commit(main(), "no partition",
        cs -> cs.appendFiles(T1, DataFileSpec.parquet(base + "x.parquet", 1, 1))));
  }

  @Test
  public void replaceFilesAndSchemaChanges() {
    seed(main());
    DataFileSpec a = file(10);
    DataFileSpec b = file(20);
    commit(main(), "INSERT", cs -> cs.appendFiles(T1, a, b));
    commit(main(), "DELETE", cs -> cs.replaceFiles(T1, List.of(a.path()), List.of(file(4))));
    assertEquals(24, rows(At.branch(main()), T1));
    assertThrows(InvalidChangeException.class,
        () -> commit(main(), "DELETE", cs -> cs.deleteFiles(T1, List.of(a.path()))));

    commit(main(), "ALTER TABLE", cs -> cs.updateSchema(T1,
        new SchemaChange.AddColumn("note", Types.StringType.get(), null),
        new SchemaChange.RenameColumn("usd", "amount"),
        new SchemaChange.DropColumn("country")));
    Schema s = catalog().loadTable(At.branch(main()), T1).schema();
    assertEquals(List.of("id", "amount", "note"),
        s.columns().stream().map(Types.NestedField::name).toList());
    assertEquals(4, s.findField("note").fieldId());
    InvalidChangeException bad = assertThrows(InvalidChangeException.class,
        () -> commit(main(), "ALTER TABLE", cs -> cs.updateSchema(T1,
            new SchemaChange.DropColumn("nope"))));
    assertTrue(bad.getMessage().contains("sales.transactions"), bad.getMessage());
  }

  // ---------------------------------------------------------------- branches and merges

  @Test
  public void changesOnABranchAreInvisibleOnMainUntilMerged() {
    seed(main());
    append(main(), T1, 1);
    catalog().createBranch("dev", At.branch(main()));
    append("dev", T1, 10);
    commit("dev", "new table", cs -> cs.createTable(TableId.of("sales", "dev_only"), SCHEMA));
    assertEquals(1, rows(At.branch(main()), T1));
    assertEquals(11, rows(At.branch("dev"), T1));
    assertTrue(catalog().findTable(At.branch(main()), TableId.of("sales", "dev_only")).isEmpty());

    List<TableChange> diff = catalog().diff(At.branch(main()), At.branch("dev"));
    assertEquals(List.of(TableId.of("sales", "dev_only"), T1),
        diff.stream().map(TableChange::table).toList());
    assertEquals(TableChange.Kind.ADDED, diff.get(0).kind());
    assertNull(diff.get(0).fromMetadataLocation());
    assertEquals(TableChange.Kind.MODIFIED, diff.get(1).kind());

    MergeResult r = catalog().merge(At.branch("dev"), main(), MergeOptions.of("bob"));
    assertTrue(r.applied());
    assertTrue(r.fastForward());
    assertEquals(head("dev"), head(main()));
    assertEquals(11, rows(At.branch(main()), T1));
    assertEquals(List.of(TableId.of("sales", "dev_only"), T1), r.tablesChanged());
    assertEquals(List.of(), catalog().diff(At.branch(main()), At.branch("dev")));
  }

  @Test
  public void mergeOfDivergedBranchesMakesAMergeCommit() {
    seed(main());
    catalog().createBranch("dev", At.branch(main()));
    append("dev", T1, 10);
    append(main(), T2, 5);
    String mainBefore = head(main());

    MergeResult dry = catalog().merge(At.branch("dev"), main(), MergeOptions.dryRun("bob"));
    assertFalse(dry.applied());
    assertFalse(dry.hasConflicts());
    assertEquals(List.of(T1), dry.tablesChanged());
    assertEquals(mainBefore, head(main()));
    assertEquals(0, rows(At.branch(main()), T1));

    MergeResult r = catalog().merge(At.branch("dev"), main(),
        new MergeOptions(false, "MERGE BRANCH dev", "bob", mainBefore));
    assertTrue(r.applied());
    assertFalse(r.fastForward());
    assertEquals(head(main()), r.resultHash());
    assertNotEquals(mainBefore, r.resultHash());
    assertEquals(10, rows(At.branch(main()), T1));
    assertEquals(5, rows(At.branch(main()), T2));
    CommitInfo top = catalog().log(At.branch(main()), 1).get(0);
    assertEquals("MERGE BRANCH dev", top.message());
    assertEquals("bob", top.author());
    assertEquals(List.of(T1), top.tablesChanged());

    // merging again brings nothing; a later change on dev merges cleanly
    MergeResult again = catalog().merge(At.branch("dev"), main(), MergeOptions.of("bob"));
    assertFalse(again.applied());
    append("dev", T1, 1);
    MergeResult third = catalog().merge(At.branch("dev"), main(), MergeOptions.of("bob"));
    assertTrue(third.applied(), third.toString());
    assertEquals(11, rows(At.branch(main()), T1));
  }

  @Test
  public void mergeConflictNamesEveryTableAndChangesNothing() {
    seed(main());
    DataFileSpec shared = file(5);
    commit(main(), "load", cs -> cs.appendFiles(T1, shared));
    catalog().createBranch("dev", At.branch(main()));
    commit("dev", "dev changes", cs -> cs
        .appendFiles(T1, file(1)).appendFiles(T2, file(1)).appendFiles(T3, file(1)));
    // a rewrite of a file the ancestor had, and a schema change: neither is only an append
    commit(main(), "main changes", cs -> cs
        .replaceFiles(T1, List.of(shared.path()), List.of(file(4)))
        .appendFiles(T2, file(2))
        .updateSchema(T2, new SchemaChange.AddColumn("note", Types.StringType.get(), null)));
    String mainHead = head(main());
    String devHead = head("dev");

    MergeResult dry = catalog().merge(At.branch("dev"), main(), MergeOptions.dryRun("bob"));
    assertFalse(dry.applied());
    assertEquals(List.of(T2.toString(), T1.toString()),
        dry.conflicts().stream().map(Conflict::table).toList());

    MergeConflictException e = assertThrows(MergeConflictException.class,
        () -> catalog().merge(At.branch("dev"), main(), MergeOptions.of("bob")));
    assertTrue(e.getMessage().contains("sales.transactions"), e.getMessage());
    assertTrue(e.getMessage().contains("sales.customers"), e.getMessage());
    assertFalse(e.getMessage().contains("public.events"), e.getMessage());
    assertEquals(2, e.result().conflicts().size());
    assertEquals(Conflict.Kind.CHANGED_ON_BOTH_SIDES, e.result().conflicts().get(0).kind());
    assertFalse(e.result().applied());
    assertEquals(mainHead, head(main()));
    assertEquals(devHead, head("dev"));
    assertEquals(0, rows(At.branch(main()), T3));
    assertTrue(e.getMessage().contains("rewrote or removed some of its data files"), e.getMessage());
    assertTrue(e.getMessage().contains("its schema changed on " + main()), e.getMessage());
  }

  @Test
  public void appendsOnBothSidesMergeAsTheirUnion() {
    seed(main());
    append(main(), T1, 10);
    catalog().createBranch("dev", At.branch(main()));
    append("dev", T1, 1);
    append("dev", T1, 2);
    append("dev", T2, 3);
    append(main(), T1, 100);
    String mainHead = head(main());

    MergeResult dry = catalog().merge(At.branch("dev"), main(), MergeOptions.dryRun("bob"));
    assertFalse(dry.hasConflicts(), dry.toString());
    assertEquals(List.of(T1), dry.appendsUnioned());
    assertEquals(mainHead, head(main()), "a dry run changes nothing");

    MergeResult merged = catalog().merge(At.branch("dev"), main(), MergeOptions.of("bob"));
    assertTrue(merged.applied(), merged.toString());
    assertEquals(List.of(T1), merged.appendsUnioned());
    assertEquals(113, rows(At.branch(main()), T1), "both sides' rows, each once");
    assertEquals(3, rows(At.branch(main()), T2));
    assertEquals(13, rows(At.branch("dev"), T1), "the source is untouched");

    // merging again in either direction brings only what is new
    append("dev", T1, 1000);
    append(main(), T1, 10000);
    assertTrue(catalog().merge(At.branch("dev"), main(), MergeOptions.of("bob")).applied());
    assertEquals(11113, rows(At.branch(main()), T1));
    MergeResult back = catalog().merge(At.branch(main()), "dev", MergeOptions.of("bob"));
    assertTrue(back.applied(), back.toString());
    assertEquals(11113, rows(At.branch("dev"), T1));
    assertEquals(3, rows(At.branch("dev"), T2));
  }

  @Test
  public void afterMergesBothWaysATableOnlyTheSourceChangedSinceTheNewestAncestorTakesTheSourcesVersion() {
    // ops and main were each merged into dev, then main into ops: Nessie's merge base for ops into
    // dev is older than their newest shared commit, and under it T1 looks changed on both sides.
    seed(main());
    catalog().createBranch("dev", At.branch(main()));
    catalog().createBranch("ops", At.branch(main()));
    append("ops", T2, 2);
    DataFileSpec f = file(3);
    commit(main(), "add f", cs -> cs.appendFiles(T1, f));
    assertTrue(catalog().merge(At.branch("ops"), "dev", MergeOptions.of("bob")).applied());
    assertTrue(catalog().merge(At.branch(main()), "dev", MergeOptions.of("bob")).applied());
    assertTrue(catalog().merge(At.branch(main()), "ops", MergeOptions.of("bob")).applied());
    commit("ops", "delete f's rows, add a column", cs -> cs.deleteFiles(T1, List.of(f.path()))
        .updateSchema(T1, new SchemaChange.AddColumn("note", Types.StringType.get(), null)));

    MergeResult dry = catalog().merge(At.branch("ops"), "dev", MergeOptions.dryRun("bob"));
    assertFalse(dry.hasConflicts(), dry.toString());
    MergeResult merged = catalog().merge(At.branch("ops"), "dev", MergeOptions.of("bob"));
    assertTrue(merged.applied(), merged.toString());
    assertEquals(0, rows(At.branch("dev"), T1), "ops's version of T1");
    assertTrue(catalog().loadTable(At.branch("dev"), T1).schema().findField("note") != null);
    assertEquals(2, rows(At.branch("dev"), T2));
    assertEquals(3, rows(At.branch(main()), T1), "main is untouched");
  }

  @Test
  public void aTableBothSidesTookTheSameVersionOfIsNoConflict() {
    // ops's union of T1 reached main and dev by two merges: main into dev then finds T1 changed on
    // both sides since their common ancestor, to the very same version, which is nothing to merge
    seed(main());
    catalog().createBranch("dev", At.branch(main()));
    catalog().createBranch("ops", At.branch(main()));
    append("ops", T1, 1);
    append(main(), T1, 3);
    assertTrue(catalog().merge(At.branch(main()), "ops", MergeOptions.of("bob")).applied());
    append(main(), T2, 2);
    assertTrue(catalog().merge(At.branch(main()), "dev", MergeOptions.of("bob")).applied());
    assertTrue(catalog().merge(At.branch("ops"), main(), MergeOptions.of("bob")).applied());
    assertTrue(catalog().merge(At.branch("ops"), "dev", MergeOptions.of("bob")).applied());

    MergeResult dry = catalog().merge(At.branch(main()), "dev", MergeOptions.dryRun("bob"));
    assertFalse(dry.hasConflicts(), dry.toString());
    MergeResult merged = catalog().merge(At.branch(main()), "dev", MergeOptions.of("bob"));
    assertFalse(merged.hasConflicts(), merged.toString());
    assertEquals(4, rows(At.branch("dev"), T1), "the one version both sides hold, its rows once");
    assertEquals(2, rows(At.branch("dev"), T2));
    assertEquals(4, rows(At.branch(main()), T1));
  }

  @Test
  public void filesBothSidesAlreadyHoldAreNotAddedTwice() {
    seed(main());
    append(main(), T1, 10);
    catalog().createBranch("x", At.branch(main()));
    catalog().createBranch("dev", At.branch(main()));
    append("x", T1, 1);
    DataFileSpec h = file(100);
    commit("dev", "add h", cs -> cs.appendFiles(T1, h));
    commit("dev", "remove h", cs -> cs.deleteFiles(T1, List.of(h.path())));
    assertTrue(catalog().merge(At.branch("x"), "dev", MergeOptions.of("bob")).applied());
    append(main(), T1, 1000);
    assertTrue(catalog().merge(At.branch("x"), main(), MergeOptions.of("bob")).applied());
    assertEquals(1011, rows(At.branch(main()), T1));
    assertEquals(11, rows(At.branch("dev"), T1));

    // dev holds nothing main lacks: whatever the merge does, x's rows must not be doubled
    MergeResult again = catalog().merge(At.branch("dev"), main(), MergeOptions.of("bob"));
    assertFalse(again.hasConflicts(), again.toString());
    assertEquals(List.of(T1), again.appendsUnioned(), "a union that adds nothing keeps the target's version");
    assertEquals(1011, rows(At.branch(main()), T1));
  }

  /** A real file under the warehouse, written {@code ageHours} ago. */
  private String fileOnDisk(String relative, long ageHours) throws IOException {
    java.nio.file.Path path = java.nio.file.Path.of(catalog().warehouseLocation(), relative);
    java.nio.file.Files.createDirectories(path.getParent());
    java.nio.file.Files.writeString(path, "x");
    java.nio.file.Files.setLastModifiedTime(path,
        java.nio.file.attribute.FileTime.from(Instant.now().minus(java.time.Duration.ofHours(ageHours))));
    return path.toString();
  }

  private List<String> removed(Housekeeping h) {
    return h.removed().stream().map(Housekeeping.RemovedFile::location).toList();
  }

  @Test
  public void vacuumRemovesOnlyOldFilesNoCommitOfAnyReferenceNeeds() throws IOException {
    seed(main());
    append(main(), T1, 10);
    catalog().createBranch("dev", At.branch(main()));
    append("dev", T1, 5);
    catalog().createTag("v1", At.branch("dev"));
    catalog().dropBranch("dev");
    append(main(), T1, 1);
    String orphan = fileOnDisk("sales/transactions_x/data/orphan.parquet", 2);
    String fresh = fileOnDisk("sales/transactions_x/data/in-flight.parquet", 0);
    long before = rows(At.tag("v1"), T1);

    Housekeeping dry = catalog().removeUnreferencedFiles(Retention.everyCommit(), true);
    assertEquals(List.of(orphan), removed(dry));
    assertTrue(java.nio.file.Files.exists(java.nio.file.Path.of(orphan)), "a dry run deletes nothing");

    Housekeeping done = catalog().removeUnreferencedFiles(Retention.everyCommit(), false);
    assertEquals(List.of(orphan), removed(done));
    assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of(orphan)));
    assertTrue(java.nio.file.Files.exists(java.nio.file.Path.of(fresh)), "a file in its grace period stays");
    assertEquals(before, rows(At.tag("v1"), T1), "the tag still reads its commit");
    for (CommitInfo c : catalog().log(At.branch(main()), 100)) {
      if (catalog().findTable(At.commit(c.hash()), T1).isPresent()) {
        rows(At.commit(c.hash()), T1); // every commit of main still reads
      }
    }
  }

  @Test
  public void expireRemovesWhatOnlyOldCommitsNeedAndKeepsHeadsTagsAndTheWindow() {
    seed(main());
    append(main(), T1, 1);
    catalog().createTag("kept", At.branch(main()));
    append(main(), T1, 2);
    String c2 = head(main());
    append(main(), T1, 3);
    String c3 = head(main());
    append(main(), T1, 4);
    String c4 = head(main());
    catalog().createBranch("side", At.branch(main()));
    append(main(), T1, 5);
    Retention lastTwo = new Retention(java.util.Optional.of(Instant.now().plusSeconds(1)), 2,
        java.time.Duration.ZERO);

    Housekeeping dry = catalog().removeUnreferencedFiles(lastTwo, true);
    // main keeps c5 and c4, side c4 and c3, the tag c1 and the seed: c2's metadata file and manifest list go
    assertEquals(5, dry.commitsKept(), dry.toString());
    assertEquals(2, dry.removed().size(), dry.toString());
    assertEquals(3, rows(At.commit(c2), T1), "a dry run removes nothing");
    Housekeeping done = catalog().removeUnreferencedFiles(lastTwo, false);
    assertEquals(removed(dry), removed(done));

    assertEquals(15, rows(At.branch(main()), T1));
    assertEquals(10, rows(At.commit(c4), T1), "inside main's last two");
    assertEquals(10, rows(At.branch("side"), T1), "another branch's head");
    assertEquals(6, rows(At.commit(c3), T1), "inside side's last two");
    assertEquals(1, rows(At.tag("kept"), T1), "a tag's commit");
    CatalogException e = assertThrows(CatalogException.class, () -> rows(At.commit(c2), T1));
    assertTrue(e.getMessage().contains("can no longer be read"), e.getMessage());
    assertEquals(List.of(), removed(catalog().removeUnreferencedFiles(lastTwo, false)), "nothing left to remove");
  }

  @Test
  public void compactionLandsOverConcurrentAppendsOnly() {
    seed(main());
    DataFileSpec a = file(1);
    DataFileSpec b = file(2);
    commit(main(), "two small files", cs -> cs.appendFiles(T1, a).appendFiles(T1, b));
    String prepared = head(main());
    append(main(), T1, 40);
    ChangeSet compact = ChangeSet.on(main()).expectedHash(prepared).author("alice")
        .compactFiles(T1, List.of(a.path(), b.path()), List.of(file(3)));
    catalog().commit(compact);
    assertEquals(43, rows(At.branch(main()), T1), "the concurrent append is kept");

    String prepared2 = head(main());
    commit(main(), "a rewrite", cs -> cs.deleteFiles(T1, List.of(dataFiles(At.branch(main()), T1).get(0))));
    String before = head(main());
    ChangeSet late = ChangeSet.on(main()).expectedHash(prepared2).author("alice")
        .compactFiles(T1, dataFiles(At.commit(prepared2), T1), List.of(file(43)));
    assertThrows(CommitConflictException.class, () -> catalog().commit(late));
    assertEquals(before, head(main()));
  }

  private List<String> dataFiles(At at, TableId table) {
    List<String> out = new java.util.ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = catalog().loadTable(at, table).newScan().planFiles()) {
      tasks.forEach(t -> out.add(t.file().location()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  @Test
  public void mergeFromTagAndCommit() {
    seed(main());
    catalog().createBranch("dev", At.branch(main()));
    CommitInfo c = append("dev", T1, 3);
    append("dev", T1, 4);
    catalog().createTag("v1", At.commit(c.hash()));
    MergeResult r = catalog().merge(At.tag("v1"), main(), MergeOptions.of("bob"));
    assertTrue(r.applied());
    assertEquals(3, rows(At.branch(main()), T1));
    catalog().createBranch("other", At.commit(r.resultHash()));
    append(main(), T2, 1);
    MergeResult r2 = catalog().merge(At.commit(head("dev")), main(), MergeOptions.of("bob"));
    assertTrue(r2.applied());
    assertEquals(7, rows(At.branch(main()), T1));
  }

  // ---------------------------------------------------------------- time travel

  @Test
  public void timeTravelByTagCommitAndTimestamp() throws InterruptedException {
    seed(main());
    CommitInfo c1 = append(main(), T1, 10);
    catalog().createTag("v1", At.branch(main()));
    Thread.sleep(20);
    Instant between = Instant.now();
    Thread.sleep(20);
    append(main(), T1, 5);
    commit(main(), "drop", cs -> cs.dropTable(T2, false));

    assertEquals(15, rows(At.branch(main()), T1));
    assertEquals(10, rows(At.tag("v1"), T1));
    assertEquals(10, rows(At.commit(c1.hash().substring(0, 10)), T1));
    assertEquals(10, rows(At.timestamp(main(), between), T1));
    assertEquals(15, rows(At.timestamp(main(), Instant.now()), T1));
    ResolvedReference past = catalog().resolve(At.timestamp(main(), between));
    assertEquals(c1.hash(), past.hash());
    assertFalse(past.writable());
    assertTrue(catalog().findTable(At.tag("v1"), T2).isPresent());
    assertTrue(catalog().findTable(At.branch(main()), T2).isEmpty());
    assertThrows(ReferenceNotFoundException.class,
        () -> catalog().resolve(At.timestamp(main(), Instant.parse("2000-01-01T00:00:00Z"))));
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  public void concurrentAppendsToOneTableAllLand() throws Exception {
    seed(main());
    int threads = writerThreads();
    int perThread = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> hashes = new ConcurrentLinkedQueue<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      futures.add(pool.submit(() -> {
        start.await();
        for (int j = 0; j < perThread; j++) {
          hashes.add(append(main(), T1, 1).hash());
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(threads * perThread, hashes.size());
    assertEquals(threads * perThread, rows(At.branch(main()), T1));
    List<String> logged = catalog().log(At.branch(main()), 1000).stream()
        .map(CommitInfo::hash).toList();
    assertTrue(logged.containsAll(hashes));
  }

  @Test
  public void appendPreparedOnAnOldHeadIsRebased() {
    seed(main());
    String old = head(main());
    append(main(), T1, 5);
    CommitInfo c = catalog().commit(ChangeSet.on(main()).expectedHash(old)
        .message("INSERT").author("carol").appendFiles(T1, file(3)));
    assertNotEquals(old, c.parentHash());
    assertEquals(8, rows(At.branch(main()), T1));
  }

  @Test
  public void trueConflictsFailCleanly() {
    seed(main());
    DataFileSpec a = file(10);
    commit(main(), "INSERT", cs -> cs.appendFiles(T1, a));
    String prepared = head(main());
    append(main(), T1, 1); // another session appends meanwhile

    CommitConflictException e = assertThrows(CommitConflictException.class,
        () -> catalog().commit(ChangeSet.on(main()).expectedHash(prepared).message("DELETE")
            .author("carol").replaceFiles(T1, List.of(a.path()), List.of(file(5)))
            .appendFiles(T2, file(1))));
    assertTrue(e.getMessage().contains("sales.transactions"), e.getMessage());
    assertFalse(e.retryable());
    assertEquals(11, rows(At.branch(main()), T1));
    assertEquals(0, rows(At.branch(main()), T2));

    // a table dropped meanwhile
    String prepared2 = head(main());
    commit(main(), "DROP", cs -> cs.dropTable(T2, false));
    assertThrows(CommitConflictException.class,
        () -> catalog().commit(ChangeSet.on(main()).expectedHash(prepared2).message("ALTER")
            .author("carol").updateSchema(T2, new SchemaChange.DropColumn("usd"))));

    // a table created meanwhile under the same name
    String prepared3 = head(main());
    commit(main(), "CREATE", cs -> cs.createTable(TableId.of("sales", "x"), SCHEMA));
    assertThrows(TableAlreadyExistsException.class,
        () -> catalog().commit(ChangeSet.on(main()).expectedHash(prepared3).message("CREATE")
            .author("carol").createTable(TableId.of("sales", "x"), SCHEMA)));
  }

  // ---------------------------------------------------------------- persistence

  @Test
  public void everythingSurvivesAReopen() {
    assumeTrue(supportsReopen(), "this backend cannot reopen its storage");
    seed(main());
    append(main(), T1, 10);
    catalog().createTag("v1", At.branch(main()));
    catalog().createBranch("dev", At.branch(main()));
    append("dev", T1, 5);
    String devHead = head("dev");
    List<CommitInfo> log = catalog().log(At.branch("dev"), 100);

    BranchCatalog reopened = reopen();
    assertEquals(List.of("dev", "main", "v1"),
        reopened.listReferences().stream().map(Reference::name).toList());
    assertEquals(devHead, reopened.getReference("dev").hash());
    assertEquals(log, reopened.log(At.branch("dev"), 100));
    assertEquals(15, rows(At.branch("dev"), T1));
    assertEquals(10, rows(At.tag("v1"), T1));
    append("dev", T1, 1);
    assertEquals(16, rows(At.branch("dev"), T1));
  }
}
