package dev.tarn.executor.pipeline;

import dev.tarn.catalog.At;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineConfig;
import dev.tarn.executor.lakehouse.DataFileWriter;
import dev.tarn.executor.lakehouse.IcebergTypes;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonModelRunner;
import dev.tarn.executor.python.PythonTestSupport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;

/** A real warehouse for pipeline tests: embedded catalog, DuckDB engine, lakehouse views, Python runner. */
final class TestLakehouse implements AutoCloseable {
  /** Shared by all tests: environments live in the persistent cache, only the first use installs. */
  private static Environments environments;

  final EmbeddedBranchCatalog catalog;
  final DuckDbEngine engine;
  final LakehouseViews views;
  final BufferAllocator allocator = new RootAllocator();
  final PythonModelRunner python;
  private final Connection connection;

  TestLakehouse(Path warehouse) {
    engine = DuckDbEngine.open(EngineConfig.defaults(warehouse));
    catalog = EmbeddedBranchCatalog.open(warehouse);
    views = new LakehouseViews(engine, catalog);
    python = new PythonModelRunner(allocator);
    connection = engine.openInternalConnection();
  }

  static synchronized Environments environments() {
    if (environments == null) {
      environments = PythonTestSupport.environments();
    }
    return environments;
  }

  PipelineRunner runner(int parallelism) {
    return new PipelineRunner(catalog, engine, views, environments(), python, null, FrontendSqlInspector.INSTANCE,
        parallelism);
  }

  /** Creates {@code id} on main with DuckDB column definitions, partitioned as {@code partitioning} says. */
  void createTable(TableId id, String columns, Function<Schema, PartitionSpec> partitioning) {
    Schema schema = IcebergTypes.toSchema(IcebergTypes.describeColumns(connection, columns));
    catalog.commit(ChangeSet.on("main").message("CREATE TABLE " + id).author("test")
        .createNamespace(id.namespace(), true)
        .createTable(id, schema, partitioning.apply(schema), Map.of(), false));
  }

  /** Appends the rows of a query to {@code id} on main as one commit (one data file per partition). */
  List<DataFileSpec> insert(TableId id, String query) {
    Table table = catalog.loadTable(At.branch("main"), id);
    List<DataFileSpec> files = new DataFileWriter(connection)
        .write(query, table.schema(), table.spec(), table.location() + "/data");
    catalog.commit(ChangeSet.on("main").message("INSERT INTO " + id).author("test").appendFiles(id, files));
    return files;
  }

  /** The seed's transactions: 9 rows over three months, one data file per month. */
  void seedTransactions(TableId id) {
    createTable(id, "id BIGINT, usd DOUBLE, country VARCHAR, eventTime TIMESTAMP",
        schema -> PartitionSpec.builderFor(schema).month("eventTime").build());
    insert(id, """
        SELECT * FROM (VALUES
          (1, 10.0, 'IT', TIMESTAMP '2023-01-05 10:00:00'), (2, 20.5, 'FR', TIMESTAMP '2023-01-10 00:00:00'),
          (3, 7.25, 'US', TIMESTAMP '2023-01-11 00:00:00'), (4, 3.0, 'IT', TIMESTAMP '2023-01-20 00:00:00'),
          (5, 100.0, 'DE', TIMESTAMP '2023-01-31 23:00:00'), (6, 50.0, 'ES', TIMESTAMP '2023-02-10 00:00:00'),
          (7, 5.0, 'IT', TIMESTAMP '2023-02-15 00:00:00'), (8, 1.0, 'FR', TIMESTAMP '2023-03-03 00:00:00'),
          (9, 2.0, 'JP', TIMESTAMP '2023-03-04 00:00:00')) v(id, usd, country, eventTime)""");
  }

  boolean tableExists(String reference, TableId id) {
    return catalog.findTable(At.reference(reference), id).isPresent();
  }

  String head(String branch) {
    return catalog.resolve(At.branch(branch)).hash();
  }

  int commits(String branch) {
    return catalog.log(At.branch(branch), 1000).size();
  }

  /**
   * Rows of a query, each row its values joined by '|'; {@code {table}} in the query stands for the
   * table's view at the reference's head.
   */
  List<String> rows(String reference, TableId id, String query) {
    return rows(query.replace("{table}", views.ensureView(catalog.resolve(At.reference(reference)), id)));
  }

  List<String> rows(String sql) {
    List<String> out = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cells.add(String.valueOf(rs.getObject(i)));
        }
        out.add(String.join("|", cells));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage() + " in " + sql, e);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    connection.close();
    views.close();
    catalog.close();
    engine.close();
    allocator.close();
  }
}
