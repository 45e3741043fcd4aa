package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class SqlTextTest {
  @Test
  void separatorsOutsideQuotesAndCommentsAreFound() {
    assertFalse(SqlText.hasStatementSeparator("SELECT ';' AS s, \"a;b\" FROM t -- x;y\n/* ; */ WHERE $$;$$ = $q$;$q$"));
    assertFalse(SqlText.hasStatementSeparator("x = $1 AND y = 'it''s; fine'"));
    assertTrue(SqlText.hasStatementSeparator("SELECT 1; DROP TABLE t"));
    assertTrue(SqlText.hasStatementSeparator("x > 1); DETACH lake_x; SELECT (1"));
    assertTrue(SqlText.hasStatementSeparator("$$'$$; SELECT '"), "a quote inside a dollar string hides nothing");
  }

  @Test
  void filterColumnsAreTheTablesColumnsTheFilterNames() {
    Schema schema = new Schema(Types.NestedField.optional(1, "id", Types.LongType.get()),
        Types.NestedField.optional(2, "eventTime", Types.TimestampType.withoutZone()),
        Types.NestedField.optional(3, "country", Types.StringType.get()));
    assertEquals(Set.of("eventTime"), FilterColumns.referenced("EVENTTIME >= '2023-01-01 country'", schema));
    assertEquals(List.of("id", "country"),
        List.copyOf(FilterColumns.referenced("\"country\" = 'IT' AND id > 1e5 -- eventTime", schema)));
  }
}
