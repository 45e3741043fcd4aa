package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlTextTest {
  @TempDir Path warehouse;

  /** Models and filters are judged by DuckDB's reading, in the form Tarn embeds them, on the real engine. */
  @Test
  void modelsAndFiltersAreOneQueryOrConditionAsDuckDbReadsThem() throws SQLException {
    try (DuckDbEngine engine = DuckDbEngine.open(EngineConfig.defaults(warehouse));
        Connection c = engine.openInternalConnection()) {
      SqlText.checkModel(c, "m", "SELECT ';' AS s, \"a;b\" FROM t -- x;y\n/* ; */ WHERE $$;$$ = $q$;$q$");
      SqlText.checkFilter(c, "x = $1 AND y = 'it''s; fine'", "t");
      SqlText.checkFilter(c, "country = 'IT' -- a trailing comment", "t");
      for (String model : List.of("SELECT 1; DROP TABLE t", "SELECT 1 -- c\r; COPY (SELECT 1) TO 'x.csv'",
          "COPY (SELECT 1) TO 'x.csv'", "SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM tarn_run_x.main.t",
          "SELECT * FROM 'x.parquet'")) {
        StepFailedException e = assertThrows(StepFailedException.class, () -> SqlText.checkModel(c, "SQL model 'm'", model));
        assertTrue(e.getMessage().startsWith("SQL model 'm' must be a single query"), e.getMessage());
      }
      for (String filter : List.of("x > 1); DETACH lake_x; SELECT (1", "1 = 1 --\r); COPY (SELECT 1) TO 'x.csv'; SELECT (1",
          "$$'$$; SELECT '", "x IN (SELECT 1 FROM query('SELECT 1'))")) {
        StepFailedException e = assertThrows(StepFailedException.class, () -> SqlText.checkFilter(c, filter, "table t"));
        assertTrue(e.getMessage().contains("on table t must be one SQL condition"), e.getMessage());
      }
    }
  }

  @Test
  void filterColumnsAreTheTablesColumnsTheFilterNames() {
    Schema schema = new Schema(Types.NestedField.optional(1, "id", Types.LongType.get()),
        Types.NestedField.optional(2, "eventTime", Types.TimestampType.withoutZone()),
        Types.NestedField.optional(3, "country", Types.StringType.get()));
    assertEquals(Set.of("eventTime"), FilterColumns.referenced(FrontendSqlInspector.INSTANCE, "EVENTTIME >= '2023-01-01 country'", schema));
    assertEquals(List.of("id", "country"),
        List.copyOf(FilterColumns.referenced(FrontendSqlInspector.INSTANCE, "\"country\" = 'IT' AND id > 1e5 -- eventTime", schema)));
  }
}
