package dev.tarn.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.UpdateRequirement;

/**
 * One step of a {@link ChangeSet}. Steps are data: the catalog replays them on the branch head it
 * commits to, so a change can be retried on a moved head without the caller doing anything.
 *
 * <p>{@link AppendFiles} commutes with concurrent commits to the same table (it is re-applied on
 * the new head). {@link CompactFiles} commutes with concurrent appends only. Every other table step
 * requires the table to be unchanged since the change set's base commit; otherwise the commit fails
 * with {@link CommitConflictException}.
 */
public sealed interface TableAction {

  /** The namespace or table this step is about, as a dotted name (for messages). */
  String target();

  record CreateNamespace(String namespace, boolean ifNotExists) implements TableAction {
    public CreateNamespace {
      Identifiers.require(Identifiers.Kind.SCHEMA, namespace);
    }

    @Override
    public String target() {
      return namespace;
    }
  }

  record DropNamespace(String namespace, boolean ifExists) implements TableAction {
    public DropNamespace {
      Objects.requireNonNull(namespace, "namespace");
    }

    @Override
    public String target() {
      return namespace;
    }
  }

  /**
   * Creates a table. Iceberg assigns fresh field ids 1..n in schema order (depth first, as
   * {@code TypeUtil.assignFreshIds} does): build the schema with those ids and data files can be
   * written with them before the table exists. {@code spec} null means unpartitioned.
   */
  record CreateTable(
      TableId table,
      Schema schema,
      PartitionSpec spec,
      Map<String, String> properties,
      boolean ifNotExists)
      implements TableAction {
    /** Property naming the new table's location (see {@link BranchCatalog#newTableLocation}). */
    public static final String LOCATION_PROPERTY = "tarn.location";

    public CreateTable {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(schema, "schema");
      // Names are data, never paths: the table's folder and partition folders derive from them.
      Identifiers.require(table);
      Identifiers.requireColumns(table, schema);
      properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    @Override
    public String target() {
      return table.toString();
    }
  }

  record AppendFiles(TableId table, List<DataFileSpec> files) implements TableAction {
    public AppendFiles {
      Objects.requireNonNull(table, "table");
      files = List.copyOf(files);
    }

    @Override
    public String target() {
      return table.toString();
    }
  }

  /**
   * Replaces data files: removes {@code removed} (by path) and adds {@code added}, as one Iceberg
   * overwrite snapshot (copy-on-write DELETE/UPDATE, INSERT OVERWRITE). Empty {@code added} is a
   * plain delete.
   */
  record ReplaceFiles(TableId table, List<String> removed, List<DataFileSpec> added)
      implements TableAction {
    public ReplaceFiles {
      Objects.requireNonNull(table, "table");
      removed = List.copyOf(removed);
      added = List.copyOf(added);
    }

    @Override
    public String target() {
      return table.toString();
    }
  }

  /**
   * Rewrites data files into others that hold exactly the same rows (OPTIMIZE): removes {@code
   * removed} (by path) and adds {@code added}. Since no row changes, it lands on a head where others
   * only appended to the table since (their files stay); any other change to the table conflicts.
   */
  record CompactFiles(TableId table, List<String> removed, List<DataFileSpec> added)
      implements TableAction {
    public CompactFiles {
      Objects.requireNonNull(table, "table");
      removed = List.copyOf(removed);
      added = List.copyOf(added);
    }

    @Override
    public String target() {
      return table.toString();
    }
  }

  record UpdateSchema(TableId table, List<SchemaChange> changes) implements TableAction {
    public UpdateSchema {
      Objects.requireNonNull(table, "table");
      changes = List.copyOf(changes);
    }

    @Override
    public String target() {
      return table.toString();
    }
  }

  /**
   * An Iceberg commit prepared by another engine (an Iceberg REST catalog client): the engine's
   * {@code requirements} are checked against the table on the head this step lands on, then its
   * metadata {@code updates} are applied, as Iceberg's REST protocol defines them. Like an append it
   * may be re-applied on a moved head: the requirements, not the base commit, decide whether the
   * engine's view of the table is still current (a failed one is a conflict). With an {@link
   * UpdateRequirement.AssertTableDoesNotExist} requirement the updates create the table (a staged
   * create). Every location the updates name (the table's, its snapshots' files) must be inside the
   * warehouse.
   */
  record IcebergUpdates(
      TableId table, List<UpdateRequirement> requirements, List<MetadataUpdate> updates)
      implements TableAction {
    public IcebergUpdates {
      Objects.requireNonNull(table, "table");
      Identifiers.require(table);
      requirements = List.copyOf(requirements);
      updates = List.copyOf(updates);
    }

    /** Whether these updates create the table rather than change it. */
    public boolean creates() {
      return requirements.stream().anyMatch(r -> r instanceof UpdateRequirement.AssertTableDoesNotExist);
    }

    @Override
    public String target() {
      return table.toString();
    }
  }

  /** Drops a table from the branch; its files stay (other references may still read them). */
  record DropTable(TableId table, boolean ifExists) implements TableAction {
    public DropTable {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public String target() {
      return table.toString();
    }
  }

  /**
   * Creates (or with {@code orReplace} replaces) a view: a query stored at the commit, read again by
   * every statement that names it.
   *
   * @param schema the columns the query returned when the view was made
   */
  record CreateView(TableId view, String sql, String defaultNamespace, org.apache.iceberg.Schema schema,
      boolean orReplace) implements TableAction {
    public CreateView {
      Objects.requireNonNull(view, "view");
      Objects.requireNonNull(sql, "sql");
      Objects.requireNonNull(defaultNamespace, "defaultNamespace");
      Objects.requireNonNull(schema, "schema");
    }

    @Override
    public String target() {
      return view.toString();
    }
  }

  /** Drops a view from the branch. */
  record DropView(TableId view, boolean ifExists) implements TableAction {
    public DropView {
      Objects.requireNonNull(view, "view");
    }

    @Override
    public String target() {
      return view.toString();
    }
  }
}
