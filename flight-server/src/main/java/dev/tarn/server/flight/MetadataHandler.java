package dev.tarn.server.flight;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.Reference;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableEntry;
import dev.tarn.catalog.TableId;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.lakehouse.HiddenBranches;
import dev.tarn.core.lakehouse.Transactions;
import dev.tarn.sql.command.access.Privilege;
import dev.tarn.core.arrow.Rows;
import dev.tarn.core.session.Session;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetDbSchemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTables;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetXdbcTypeInfo;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Answers the catalog browsing calls BI tools make on connect from the branch catalog: branches
 * and tags as catalogs, namespaces as schemas, tables with their Arrow schemas (as DuckDB exports
 * them), plus table types, keys and type info.
 */
final class MetadataHandler {
  private final BufferAllocator allocator;
  private final BranchCatalog catalog;
  private final LakehouseViews views;
  private final AccessControl access;
  private final HiddenBranches hidden;
  /** The result schema of a query as the statement path would run it (for views' columns). */
  private final java.util.function.BiFunction<Session, String, Schema> describe;

  MetadataHandler(BufferAllocator allocator, BranchCatalog catalog, LakehouseViews views, AccessControl access,
      HiddenBranches hidden, java.util.function.BiFunction<Session, String, Schema> describe) {
    this.describe = describe;
    this.hidden = hidden;
    this.access = access;
    this.allocator = allocator;
    this.catalog = catalog;
    this.views = views;
  }

  void catalogs(String user, ServerStreamListener listener) {
    List<Object[]> rows = new ArrayList<>();
    List<Reference> references = catalog.listReferences();
    java.util.Set<String> left = hidden.among(references); // reachable by name, not listed
    for (Reference reference : references) {
      if (!Transactions.isTransactionBranch(reference.name()) && !left.contains(reference.name())
          && readable(user, reference.name())) {
        rows.add(new Object[] {reference.name()});
      }
    }
    send(listener, Schemas.GET_CATALOGS_SCHEMA, rows);
  }

  void schemas(String user, CommandGetDbSchemas command, ServerStreamListener listener) {
    Predicate<String> schemaMatches = LikePattern.matcher(
        command.hasDbSchemaFilterPattern() ? command.getDbSchemaFilterPattern() : null);
    List<Object[]> rows = new ArrayList<>();
    for (String reference : references(user, command.hasCatalog() ? command.getCatalog() : null)) {
      for (String namespace : catalog.listNamespaces(At.reference(reference))) {
        if (schemaMatches.test(namespace)) {
          rows.add(new Object[] {reference, namespace});
        }
      }
    }
    send(listener, Schemas.GET_SCHEMAS_SCHEMA, rows);
  }

  void tables(Session session, CommandGetTables command, ServerStreamListener listener) {
    Predicate<String> schemaMatches = LikePattern.matcher(
        command.hasDbSchemaFilterPattern() ? command.getDbSchemaFilterPattern() : null);
    Predicate<String> tableMatches = LikePattern.matcher(
        command.hasTableNameFilterPattern() ? command.getTableNameFilterPattern() : null);
    boolean tablesWanted = command.getTableTypesCount() == 0 || command.getTableTypesList().contains("TABLE");
    boolean viewsWanted = command.getTableTypesCount() == 0 || command.getTableTypesList().contains("VIEW");
    List<Object[]> rows = new ArrayList<>();
    for (String reference : tablesWanted || viewsWanted
        ? references(session.user(), command.hasCatalog() ? command.getCatalog() : null) : List.<String>of()) {
      ResolvedReference at = catalog.resolve(At.reference(reference));
      At commit = At.commit(at.name(), at.hash());
      List<TableId> names = new ArrayList<>();
      if (tablesWanted) {
        catalog.listTables(commit, null).forEach(t -> names.add(t.id()));
      }
      int tables = names.size();
      if (viewsWanted) {
        catalog.listViews(commit, null).forEach(v -> names.add(v.id()));
      }
      for (int i = 0; i < names.size(); i++) {
        TableId id = names.get(i);
        String type = i < tables ? "TABLE" : "VIEW";
        if (!schemaMatches.test(id.namespace()) || !tableMatches.test(id.name())) {
          continue;
        }
        if (command.getIncludeSchema()) {
          // a view's columns are those of its query now, bound at this commit like any read
          Schema schema = i < tables
              ? session.engine().describe("SELECT * FROM " + views.ensureView(at, id)).resultSchema()
              : viewColumns(session, reference, id);
          rows.add(new Object[] {reference, id.namespace(), id.name(), type, schema.serializeAsMessage()});
        } else {
          rows.add(new Object[] {reference, id.namespace(), id.name(), type});
        }
      }
    }
    send(listener, command.getIncludeSchema() ? Schemas.GET_TABLES_SCHEMA : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA,
        rows);
  }

  /**
   * The references a catalog filter names: one (checked to exist) or all; only those the caller may
   * read, and never a transaction's private branch.
   */
  private List<String> references(String user, String catalogFilter) {
    if (catalogFilter != null) {
      return catalog.findReference(catalogFilter).map(Reference::name)
          .filter(name -> !Transactions.isTransactionBranch(name) && readable(user, name))
          .map(List::of).orElse(List.of());
    }
    List<Reference> references = catalog.listReferences();
    java.util.Set<String> left = hidden.among(references);
    return references.stream().map(Reference::name)
        .filter(name -> !Transactions.isTransactionBranch(name) && !left.contains(name) && readable(user, name))
        .toList();
  }

  private boolean readable(String user, String reference) {
    return access.may(user, Privilege.READ, reference);
  }

  /**
   * A view's columns, as its query returns them now; none when it cannot be read (a table it reads was
   * dropped, it refers to itself), so one broken view does not hide the rest of the tree.
   */
  private Schema viewColumns(Session session, String reference, TableId id) {
    try {
      return describe.apply(session, "SELECT * FROM " + quoted(reference) + "." + quoted(id.namespace()) + "."
          + quoted(id.name()));
    } catch (RuntimeException broken) {
      return new Schema(List.of());
    }
  }

  private static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  void tableTypes(ServerStreamListener listener) {
    send(listener, Schemas.GET_TABLE_TYPES_SCHEMA, List.of(new Object[] {"TABLE"}, new Object[] {"VIEW"}));
  }

  /** Iceberg tables declare no primary keys; the answer is well-formed and empty. */
  void primaryKeys(ServerStreamListener listener) {
    send(listener, Schemas.GET_PRIMARY_KEYS_SCHEMA, List.of());
  }

  /**
   * Foreign keys: lakehouse tables have none, so imported keys, exported keys and cross references
   * are well-formed empty results.
   */
  void noForeignKeys(Schema schema, ServerStreamListener listener) {
    send(listener, schema, List.of());
  }

  void typeInfo(CommandGetXdbcTypeInfo command, ServerStreamListener listener) {
    List<Object[]> rows = new ArrayList<>();
    for (Object[] row : TYPES) {
      if (!command.hasDataType() || command.getDataType() == (Integer) row[1]) {
        rows.add(row);
      }
    }
    send(listener, Schemas.GET_TYPE_INFO_SCHEMA, rows);
  }

  // type_name, data_type, column_size, literal_prefix, literal_suffix, create_params, nullable,
  // case_sensitive, searchable, unsigned_attribute, fixed_prec_scale, auto_increment,
  // local_type_name, minimum_scale, maximum_scale, sql_data_type, datetime_subcode,
  // num_prec_radix, interval_precision
  private static final List<Object[]> TYPES = List.of(
      type("BOOLEAN", Types.BOOLEAN, 1, null, null, List.of(), false, null),
      type("TINYINT", Types.TINYINT, 3, null, null, List.of(), false, 10),
      type("SMALLINT", Types.SMALLINT, 5, null, null, List.of(), false, 10),
      type("INTEGER", Types.INTEGER, 10, null, null, List.of(), false, 10),
      type("BIGINT", Types.BIGINT, 19, null, null, List.of(), false, 10),
      type("HUGEINT", Types.NUMERIC, 38, null, null, List.of(), false, 10),
      type("FLOAT", Types.REAL, 7, null, null, List.of(), false, 2),
      type("DOUBLE", Types.DOUBLE, 15, null, null, List.of(), false, 2),
      type("DECIMAL", Types.DECIMAL, 38, null, null, List.of("precision", "scale"), true, 10),
      type("VARCHAR", Types.VARCHAR, Integer.MAX_VALUE, "'", "'", List.of(), true, null),
      type("BLOB", Types.VARBINARY, Integer.MAX_VALUE, "'", "'::BLOB", List.of(), false, null),
      type("DATE", Types.DATE, 10, "DATE '", "'", List.of(), false, null),
      type("TIME", Types.TIME, 15, "TIME '", "'", List.of(), false, null),
      type("TIMESTAMP", Types.TIMESTAMP, 26, "TIMESTAMP '", "'", List.of(), false, null),
      type("TIMESTAMP WITH TIME ZONE", Types.TIMESTAMP_WITH_TIMEZONE, 32, "TIMESTAMPTZ '", "'", List.of(), false,
          null),
      type("UUID", Types.OTHER, 36, "'", "'::UUID", List.of(), false, null),
      type("LIST", Types.ARRAY, null, null, null, List.of(), false, null),
      type("STRUCT", Types.STRUCT, null, null, null, List.of(), false, null));

  private static Object[] type(String name, int jdbcType, Integer size, String prefix, String suffix,
      List<String> createParams, boolean caseSensitiveOrScaled, Integer radix) {
    boolean isText = jdbcType == Types.VARCHAR;
    boolean searchable = jdbcType != Types.ARRAY && jdbcType != Types.STRUCT;
    return new Object[] {
        name, jdbcType, size, prefix, suffix, createParams,
        1, // columnNullable
        isText, searchable ? 3 : 0, radix == null ? null : Boolean.FALSE,
        jdbcType == Types.DECIMAL && caseSensitiveOrScaled,
        Boolean.FALSE, name,
        jdbcType == Types.DECIMAL ? 0 : null, jdbcType == Types.DECIMAL ? 38 : null,
        jdbcType, null, radix, null};
  }

  private void send(ServerStreamListener listener, Schema schema, List<Object[]> rows) {
    try (VectorSchemaRoot root = Rows.fill(schema, rows, allocator)) {
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }
}
