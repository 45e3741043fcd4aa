package dev.tarn.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.executor.EngineException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** DuckDB's error texts as clients get them; the texts are DuckDB 2.0's own. */
class DuckDbErrorsTest {

  @Test
  void aCancelIsKnownByDuckDbsErrorTypeNotByAValueInTheText() {
    assertEquals(Reason.CANCELLED, DuckDbErrors.translate(new SQLException("INTERRUPT Error: Interrupted!")).reason());
    EngineException value = DuckDbErrors.translate(
        new SQLException("Conversion Error: Could not convert string 'Interrupted' to INT32"));
    assertEquals(Reason.INVALID, value.reason());
    assertEquals("Conversion Error: Could not convert string 'Interrupted' to INT32", value.getMessage());
  }

  @Test
  void theCatalogOfACommitIsNotNamed() {
    EngineException e = DuckDbErrors.translate(new SQLException(
        "Catalog Error: SHOW TABLES FROM: No catalog + schema named \"lake_4c5354b553d764ad_names.nosuch\" found."));
    assertEquals(Reason.NOT_FOUND, e.reason());
    assertEquals("Catalog Error: SHOW TABLES FROM: No catalog + schema named \"nosuch\" found.", e.getMessage());
  }

  @Test
  void anErrorOnALaterBatchIsUnwrappedFromArrowsStreamReader() {
    IOException fromReader = new IOException("[errno -1] CDataJniException{errno=-1, message=Conversion Error:"
        + " Could not convert string 'x' to INT32\n\nLINE 1: SELECT CAST(s AS INTEGER) FROM t\n               ^}");
    EngineException e = DuckDbErrors.fromArrowStream(fromReader).orElseThrow();
    assertEquals("Conversion Error: Could not convert string 'x' to INT32 (at line 1, column 8)", e.getMessage());
    assertTrue(DuckDbErrors.fromArrowStream(new IOException("disk full")).isEmpty());
  }

  @Test
  void ofALongLineDuckDbShowsAPartAndTheColumnIsLeftToWhoeverHasTheText() {
    String shown = " v FROM \"a_very_long_catalog_name_0123456789abcdef\" WHERE id = 'abc'";
    String caret = " ".repeat("LINE 1: ...".length() + shown.indexOf("'abc'")) + "^^^^^";
    EngineException e = DuckDbErrors.translate(new SQLException(
        "Conversion Error: Could not convert string 'abc' to INT32\n\nLINE 1: ..." + shown + "\n" + caret));
    assertEquals("Conversion Error: Could not convert string 'abc' to INT32", e.getMessage());
    assertEquals(new EngineException.Position(1, shown.indexOf("'abc'") + 1, shown), e.position().orElseThrow());
  }

  @Test
  void filesAreNamedFromTheWarehouseOn() {
    Path warehouse = Path.of("/srv/tarn/warehouse");
    EngineException e = DuckDbErrors.withoutFolder(new EngineException(Reason.INVALID,
        "Invalid Input Error: No magic bytes found at end of file '/srv/tarn/warehouse/tables/public/t/data/a.parquet'"),
        warehouse);
    assertEquals("Invalid Input Error: No magic bytes found at end of file 'tables/public/t/data/a.parquet'",
        e.getMessage());
    EngineException placed = DuckDbErrors.withoutFolder(DuckDbErrors.translate(new SQLException(
        "Conversion Error: Could not convert string '/srv/tarn/warehouse/x' to INT32\n\nLINE 1: SELECT 1 + '/srv'\n"
        + "                   ^")), warehouse);
    assertEquals("Conversion Error: Could not convert string 'x' to INT32 (at line 1, column 12)", placed.getMessage());
    assertEquals(new EngineException.Position(1, 12), placed.position().orElseThrow(), "the position is kept");
  }
}
