package dev.tarn.rest;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.CommitInfo;
import dev.tarn.catalog.Reference;
import dev.tarn.catalog.ReferenceType;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableAction;
import dev.tarn.catalog.TableEntry;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.TableNotFoundException;
import dev.tarn.catalog.iceberg.MetadataFiles;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.lakehouse.HiddenBranches;
import dev.tarn.core.lakehouse.Lakehouse;
import dev.tarn.core.lakehouse.Transactions;
import dev.tarn.executor.pipeline.PipelineRunner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.CreateNamespaceResponse;
import org.apache.iceberg.rest.responses.GetNamespaceResponse;
import org.apache.iceberg.rest.responses.ListNamespacesResponse;
import org.apache.iceberg.rest.responses.ListTablesResponse;
import org.apache.iceberg.rest.responses.LoadTableResponse;

/**
 * The Iceberg REST catalog's operations on one Tarn reference (the URL's prefix), for one caller.
 * Reads need READ on the reference; writes need a branch the caller may write directly (WRITE, not
 * protected, not a pipeline run's), and each becomes exactly one Tarn commit through the branch
 * catalog, authored by the caller's user and engine. Branches the server keeps for itself (pipeline
 * runs, transactions) are not served: they answer as if they did not exist.
 */
final class ReferenceTables {
  private final BranchCatalog catalog;
  private final AccessControl access;
  private final Caller caller;
  private final ResolvedReference at;

  private ReferenceTables(BranchCatalog catalog, AccessControl access, Caller caller, ResolvedReference at) {
    this.catalog = catalog;
    this.access = access;
    this.caller = caller;
    this.at = at;
  }

  /** The operations on reference {@code name} for {@code caller}; 404 for a reference not served, 403 without READ. */
  static ReferenceTables open(Lakehouse lakehouse, Caller caller, String name) {
    BranchCatalog catalog = lakehouse.catalog();
    Reference reference = catalog.findReference(name)
        .filter(r -> served(lakehouse.hiddenBranches(), r))
        .orElseThrow(() -> RestStatus.notFound("NoSuchWarehouseException", "reference " + name
            + " does not exist on this Tarn server (the prefix, or warehouse, names a branch or tag)"));
    ResolvedReference at = new ResolvedReference(reference.name(), reference.type(), reference.hash(), true);
    lakehouse.access().requireRead(caller.user(), at);
    return new ReferenceTables(catalog, lakehouse.access(), caller, at);
  }

  /** Whether a reference is served: not one the server keeps for itself. */
  static boolean served(HiddenBranches hidden, Reference reference) {
    String name = reference.name();
    return !name.startsWith(PipelineRunner.RUN_BRANCH_PREFIX) && !Transactions.isTransactionBranch(name)
        && !hidden.among(List.of(reference)).contains(name);
  }

  private At here() {
    return At.commit(at.name(), at.hash());
  }

  private String where() {
    return at.type().word() + " " + at.name();
  }

  // ---- namespaces ----

  ListNamespacesResponse listNamespaces(Namespace parent) {
    ListNamespacesResponse.Builder response = ListNamespacesResponse.builder();
    if (parent.isEmpty()) {
      catalog.listNamespaces(here()).forEach(ns -> response.add(Namespace.of(ns)));
    }
    // Tarn's namespaces (SQL schemas) have one level: none has children
    return response.build();
  }

  GetNamespaceResponse loadNamespace(Namespace namespace) {
    String name = existingNamespace(namespace);
    return GetNamespaceResponse.builder().withNamespace(Namespace.of(name)).build();
  }

  CreateNamespaceResponse createNamespace(CreateNamespaceRequest request) {
    request.validate();
    String name = oneLevel(request.namespace());
    commit(ChangeSet.on(writableBranch()).createNamespace(name, false), "create namespace " + name);
    return CreateNamespaceResponse.builder().withNamespace(Namespace.of(name)).build();
  }

  void dropNamespace(Namespace namespace) {
    String name = oneLevel(namespace);
    commit(ChangeSet.on(writableBranch()).dropNamespace(name, false), "drop namespace " + name);
  }

  private String existingNamespace(Namespace namespace) {
    String name = oneLevel(namespace);
    if (!catalog.namespaceExists(here(), name)) {
      throw RestStatus.notFound("NoSuchNamespaceException", "namespace " + name + " does not exist on " + where());
    }
    return name;
  }

  private String oneLevel(Namespace namespace) {
    if (namespace.length() != 1) {
      throw RestStatus.notFound("NoSuchNamespaceException", "namespace " + namespace + " does not exist on "
          + where() + ": Tarn's namespaces have exactly one level");
    }
    return namespace.level(0);
  }

  // ---- tables ----

  ListTablesResponse listTables(Namespace namespace) {
    String name = existingNamespace(namespace);
    ListTablesResponse.Builder response = ListTablesResponse.builder();
    for (TableEntry entry : catalog.listTables(here(), name)) {
      response.add(TableIdentifier.of(entry.id().namespace(), entry.id().name()));
    }
    return response.build();
  }

  LoadTableResponse loadTable(Namespace namespace, String table) {
    return loaded(here(), tableId(namespace, table));
  }

  private LoadTableResponse loaded(At when, TableId id) {
    TableEntry entry = catalog.findTable(when, id)
        .orElseThrow(() -> new TableNotFoundException(id, where()));
    TableMetadata metadata = MetadataFiles.read(catalog.io(), entry.metadataLocation());
    return LoadTableResponse.builder().withTableMetadata(metadata).build();
  }

  /**
   * Creates a table, or (staged, as engines do for CREATE TABLE AS) answers the metadata it would
   * have without committing anything: the engine's later commit then creates it.
   */
  LoadTableResponse createTable(Namespace namespace, CreateTableRequest request) {
    request.validate();
    TableId id = tableId(namespace, request.name());
    String branch = writableBranch();
    Map<String, String> properties = new HashMap<>(request.properties());
    properties.putIfAbsent(TableProperties.FORMAT_VERSION, "2");
    TableMetadata metadata = TableMetadata.newTableMetadata(
        request.schema(),
        request.spec() == null ? PartitionSpec.unpartitioned() : request.spec(),
        request.writeOrder() == null ? SortOrder.unsorted() : request.writeOrder(),
        request.location() == null ? catalog.newTableLocation(id) : request.location(),
        properties);
    if (request.stageCreate()) {
      return LoadTableResponse.builder().withTableMetadata(metadata).build();
    }
    List<UpdateRequirement> requirements = List.of(new UpdateRequirement.AssertTableDoesNotExist());
    CommitInfo commit = commit(ChangeSet.on(branch)
        .add(new TableAction.IcebergUpdates(id, requirements, metadata.changes())), "create table " + id);
    return loaded(At.commit(branch, commit.hash()), id);
  }

  /** An engine's commit: its requirements checked against the branch head, its updates applied, one Tarn commit. */
  LoadTableResponse updateTable(Namespace namespace, String table, UpdateTableRequest request) {
    TableId id = tableId(namespace, table);
    String branch = writableBranch();
    TableAction.IcebergUpdates updates = new TableAction.IcebergUpdates(id, request.requirements(), request.updates());
    CommitInfo commit = commit(ChangeSet.on(branch).add(updates),
        (updates.creates() ? "create table " : operation(request.updates()) + " ") + id);
    return loaded(At.commit(branch, commit.hash()), id);
  }

  /** Several tables' commits at once (an engine's multi-table transaction): one Tarn commit, all or nothing. */
  void commitTransaction(CommitTransactionRequest request) {
    request.validate();
    String branch = writableBranch();
    ChangeSet changes = ChangeSet.on(branch);
    List<String> names = new java.util.ArrayList<>();
    for (UpdateTableRequest change : request.tableChanges()) {
      TableIdentifier identifier = change.identifier();
      TableId id = tableId(identifier.namespace(), identifier.name());
      changes.add(new TableAction.IcebergUpdates(id, change.requirements(), change.updates()));
      names.add(id.toString());
    }
    commit(changes, "transaction on " + String.join(", ", names));
  }

  /** Drops the table from the branch; its files stay, as other references may still read them. */
  void dropTable(Namespace namespace, String table) {
    TableId id = tableId(namespace, table);
    commit(ChangeSet.on(writableBranch()).dropTable(id, false), "drop table " + id);
  }

  void requireTable(Namespace namespace, String table) {
    TableId id = tableId(namespace, table);
    if (catalog.findTable(here(), id).isEmpty()) {
      throw new TableNotFoundException(id, where());
    }
  }

  private TableId tableId(Namespace namespace, String table) {
    return TableId.of(oneLevel(namespace), table);
  }

  /** What an engine's commit did, for its message: the operation of the snapshot it adds, if any. */
  private static String operation(List<MetadataUpdate> updates) {
    for (MetadataUpdate update : updates) {
      if (update instanceof MetadataUpdate.AddSnapshot add && add.snapshot().operation() != null) {
        return add.snapshot().operation();
      }
    }
    return "update of";
  }

  // ---- writes ----

  private String writableBranch() {
    if (at.type() != ReferenceType.BRANCH) {
      throw RestStatus.forbidden(where() + " is read-only: tags never change; write to a branch (use it as the"
          + " warehouse/prefix)");
    }
    access.requireDirectWrite(caller.user(), at.name());
    return at.name();
  }

  private CommitInfo commit(ChangeSet changes, String what) {
    return catalog.commit(changes.author(caller.author())
        .message(caller.engine() + " " + what + " through the Iceberg REST catalog"));
  }
}
