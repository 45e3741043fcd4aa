package dev.tarn.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;

/**
 * A pending change to one branch, committed as exactly one catalog commit by {@link
 * BranchCatalog#commit(ChangeSet)}: all its steps land together or none does. Build one per
 * statement (or per transaction), then commit it once. Not thread-safe; a committed change set
 * may be committed again (for example after a retryable failure).
 */
public final class ChangeSet {
  private final String branch;
  private final List<TableAction> actions = new ArrayList<>();
  private String expectedHash;
  private String message = "";
  private String author = "";

  private ChangeSet(String branch) {
    this.branch = Objects.requireNonNull(branch, "branch");
  }

  /** A change to the head of {@code branch}. */
  public static ChangeSet on(String branch) {
    return new ChangeSet(branch);
  }

  /**
   * The commit the change was prepared against (a transaction's start). If the branch moved since
   * then, appends are re-applied on the new head and any other step fails if its table changed.
   * Without it, the head read when committing is the base.
   */
  public ChangeSet expectedHash(String hash) {
    this.expectedHash = hash;
    return this;
  }

  public ChangeSet message(String message) {
    this.message = Objects.requireNonNull(message, "message");
    return this;
  }

  public ChangeSet author(String author) {
    this.author = Objects.requireNonNull(author, "author");
    return this;
  }

  public ChangeSet add(TableAction action) {
    actions.add(Objects.requireNonNull(action, "action"));
    return this;
  }

  public ChangeSet createNamespace(String namespace, boolean ifNotExists) {
    return add(new TableAction.CreateNamespace(namespace, ifNotExists));
  }

  public ChangeSet dropNamespace(String namespace, boolean ifExists) {
    return add(new TableAction.DropNamespace(namespace, ifExists));
  }

  public ChangeSet createTable(TableId table, Schema schema) {
    return add(new TableAction.CreateTable(table, schema, null, Map.of(), false));
  }

  public ChangeSet createTable(
      TableId table, Schema schema, PartitionSpec spec, Map<String, String> properties,
      boolean ifNotExists) {
    return add(new TableAction.CreateTable(table, schema, spec, properties, ifNotExists));
  }

  public ChangeSet appendFiles(TableId table, List<DataFileSpec> files) {
    return add(new TableAction.AppendFiles(table, files));
  }

  public ChangeSet appendFiles(TableId table, DataFileSpec... files) {
    return appendFiles(table, Arrays.asList(files));
  }

  public ChangeSet replaceFiles(TableId table, List<String> removed, List<DataFileSpec> added) {
    return add(new TableAction.ReplaceFiles(table, removed, added));
  }

  /** Rewrites data files into others holding the same rows: see {@link TableAction.CompactFiles}. */
  public ChangeSet compactFiles(TableId table, List<String> removed, List<DataFileSpec> added) {
    return add(new TableAction.CompactFiles(table, removed, added));
  }

  public ChangeSet deleteFiles(TableId table, List<String> removed) {
    return add(new TableAction.ReplaceFiles(table, removed, List.of()));
  }

  public ChangeSet updateSchema(TableId table, SchemaChange... changes) {
    return add(new TableAction.UpdateSchema(table, Arrays.asList(changes)));
  }

  public ChangeSet createView(TableId view, String sql, String defaultNamespace, org.apache.iceberg.Schema schema,
      boolean orReplace) {
    return add(new TableAction.CreateView(view, sql, defaultNamespace, schema, orReplace));
  }

  public ChangeSet dropView(TableId view, boolean ifExists) {
    return add(new TableAction.DropView(view, ifExists));
  }

  public ChangeSet dropTable(TableId table, boolean ifExists) {
    return add(new TableAction.DropTable(table, ifExists));
  }

  public String branch() {
    return branch;
  }

  public String expectedHash() {
    return expectedHash;
  }

  public String message() {
    return message;
  }

  public String author() {
    return author;
  }

  public List<TableAction> actions() {
    return List.copyOf(actions);
  }

  public boolean isEmpty() {
    return actions.isEmpty();
  }
}
