package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.core.pipeline.PipelineSql;
import dev.tarn.sql.TarnSqlFrontend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pipeline input's filter that the front end shows to be exactly an Iceberg expression: the scan
 * cache hands over the files its metadata keeps whole without DuckDB reading them first, and the
 * rows a model receives are still exactly the rows SQL's WHERE keeps, nulls included.
 */
class ExactScanFilterTest {
  private static final Schema SCHEMA = new Schema(
      Types.NestedField.optional(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "n", Types.IntegerType.get()),
      Types.NestedField.optional(3, "day", Types.DateType.get()),
      Types.NestedField.optional(4, "ts", Types.TimestampType.withoutZone()),
      Types.NestedField.optional(5, "usd", Types.DoubleType.get()),
      Types.NestedField.optional(6, "country", Types.StringType.get()));
  /** Every column but {@code usd}, each as text, nulls spelt out: a row's identity in both answers. */
  private static final String ROW = "id || '|' || coalesce(n::VARCHAR, 'null') || '|' || coalesce(day::VARCHAR, 'null')"
      + " || '|' || coalesce(ts::VARCHAR, 'null') || '|' || country";

  private static Path projects;
  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    projects = Files.createTempDirectory("tarn-projects");
    server = RunningServer.start(c -> c.withProjectsRoot(projects).withScanCacheBytes(64L << 20));
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE readings (id BIGINT, n INTEGER, day DATE, ts TIMESTAMP, usd DOUBLE,"
          + " country VARCHAR) PARTITIONED BY (month(ts), n)");
      // Four commits of rows over 2022 and 2023, n in 0..3: files of one month and one n each, some
      // with a null n, day or ts, so that null partitions and null counts are both met
      Random random = new Random(7);
      int id = 0;
      for (int commit = 0; commit < 4; commit++) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++, id++) {
          String n = random.nextInt(8) == 0 ? "NULL" : Integer.toString(random.nextInt(4));
          String month = (2022 + random.nextInt(2)) + "-" + String.format("%02d", 1 + random.nextInt(12));
          String day = random.nextInt(10) == 0 ? "NULL" : "DATE '" + month + "-" + String.format("%02d", 1 + random.nextInt(28)) + "'";
          String ts = random.nextInt(15) == 0 ? "NULL"
              : "TIMESTAMP '" + month + "-" + String.format("%02d %02d:%02d:00", 1 + random.nextInt(28),
                  random.nextInt(24), random.nextInt(60)) + "'";
          rows.add("(" + id + ", " + n + ", " + day + ", " + ts + ", " + random.nextInt(100) + ", 'C" + id % 5 + "')");
        }
        s.executeUpdate("INSERT INTO readings VALUES " + String.join(", ", rows));
      }
      // unpartitioned: a month of 2023 per commit, so only the files' column bounds tell which a filter keeps whole
      s.executeUpdate("CREATE TABLE flat (id BIGINT, n INTEGER, day DATE, ts TIMESTAMP, usd DOUBLE, country VARCHAR)");
      for (int month = 1; month <= 6; month++) {
        s.executeUpdate("INSERT INTO flat SELECT " + month + " * 1000 + range, CASE WHEN range % 7 = 0 THEN NULL"
            + " ELSE range % 4 END, CASE WHEN range % 9 = 0 THEN NULL ELSE DATE '2023-0" + month + "-01' + CAST(range % 28 AS INTEGER)"
            + " END, TIMESTAMP '2023-0" + month + "-01' + INTERVAL (range * 17) MINUTE, range, 'C' || range % 5"
            + " FROM range(40)");
      }
    }
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    try (var files = Files.walk(projects)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void onlyConjunctionsOfPlainComparisonsOnExactlyBoundedColumnsAreExact() {
    PipelineSql sql = new PipelineSql(new TarnSqlFrontend());
    for (String exact : List.of("ts >= '2023-01-01'", "n = 2 AND day < '2023-03-01' -- note",
        "id IN (1, 2, -3) AND ts < TIMESTAMP '2023-05-01 10:00:00'", "N BETWEEN 1 AND 2 AND \"day\" IS NOT NULL",
        "n IS NULL", "id > 5.0", "ts < '2023-01-01T10:30'",
        "n <= 10 /* /* */ -- */ AND n <= 5")) { // DuckDB nests comments: both conditions are its
      assertTrue(sql.exactFilter(exact, SCHEMA).isPresent(), exact);
    }
    assertEquals("(ref(name=\"ts\") >= 1672531200000000 and not_null(ref(name=\"ts\")))",
        sql.exactFilter("ts >= '2023-01-01'", SCHEMA).orElseThrow().toString());
    assertEquals("((ref(name=\"n\") <= 10 and ref(name=\"n\") <= 5) and not_null(ref(name=\"n\")))",
        sql.exactFilter("n <= 10 /* /* */ -- */ AND n <= 5", SCHEMA).orElseThrow().toString());
    for (String wider : List.of(
        "n <> 2", // Iceberg's notEqual keeps nulls
        "usd > 5", "country = 'C1'", // bounds of doubles and strings: NaN, truncation, collations
        "n = 1 OR n = 2", "n = 1 AND upper(country) = 'C1'", "n = id", "NOT n = 1",
        "id > 1e2", "id > 5.5", "n > 3000000000", // a double; no integer; out of the column's range
        "day < '2023-3-1'", "day < '2023-01-01 10:00'", "ts < '2023-01-01 10:00:00+02'", "ts < '2023-01-01 10:00:00.1234567'",
        "ts >= DATE '2023-01-01'", "n = '2'", "n BETWEEN SYMMETRIC 3 AND 1", "n NOT BETWEEN 1 AND 2",
        "nope = 1", "n = 1) OR (1 = 1",
        "n <= 10 //2", // DuckDB's integer division: no literal
        "n <= 10) QUALIFY (row_number() OVER (ORDER BY id) <= 3", "n <= 10) GROUP BY n HAVING (count(*) > 1",
        "id > 9007199254740992.0000000000000000000000000", // more than 38 digits: a DOUBLE to DuckDB
        "n >= 1.0000000000000000000", "id = 1234567890123456789", // a scale above 18; 19 digits
        "tarn_scan.n = 1")) { // to DuckDB, a field of a struct column tarn_scan
      assertEquals(java.util.Optional.empty(), sql.exactFilter(wider, SCHEMA), wider);
    }
  }

  @Test
  void aModelGetsTheRowsSqlKeepsForAnyExactFilter() throws Exception {
    Random random = new Random(11);
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE BRANCH exact_any FROM main");
      for (int i = 0; i < 24; i++) {
        String table = i % 2 == 0 ? "readings" : "flat";
        List<String> conditions = new ArrayList<>();
        for (int k = 0; k < 1 + random.nextInt(3); k++) {
          conditions.add(condition(random));
        }
        String filter = String.join(" AND ", conditions);
        project("exact_any", table, filter);
        PipelineTest.rows(s.executeQuery("RUN PIPELINE 'exact_any' ON BRANCH exact_any")); // read: the run ends
        assertEquals(column(s.executeQuery("SELECT " + ROW + " FROM " + table + " WHERE " + filter + " ORDER BY id"), 1),
            column(s.executeQuery("SELECT " + ROW + " FROM exact_any.public.kept ORDER BY id"), 1), table + ": " + filter);
      }
    }
  }

  @Test
  void aNewExactFilterTakesWholeFilesFromTheCacheWithoutReadingThem() throws Exception {
    // by partition (readings, month(ts)) and by column bounds (flat, a month per file)
    for (String table : List.of("readings", "flat")) {
      String branch = "exact_new_" + table;
      try (Connection c = server.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE BRANCH " + branch + " FROM main");
        project(branch, table, "ts >= '2023-03-01'");
        PipelineTest.rows(s.executeQuery("RUN PIPELINE '" + branch + "' ON BRANCH " + branch));
        List<String> expected = column(s.executeQuery(
            "SELECT " + ROW + " FROM " + table + " WHERE ts >= '2023-03-01' AND ts < '2024-01-01' ORDER BY id"), 1);

        // The same files under a filter never seen, with every data file of the table made unreadable
        // meanwhile: a run that had DuckDB confirm them, or read any of them, would fail
        Map<Path, byte[]> saved = new java.util.HashMap<>();
        for (Path file : server.dataFiles()) {
          if (file.toString().contains("/" + table + "_")) {
            saved.put(file, Files.readAllBytes(file));
            Files.writeString(file, "not Parquet");
          }
        }
        try {
          project(branch, table, "ts >= '2023-03-01' AND ts < '2024-01-01'");
          String runId = column(s.executeQuery("RUN PIPELINE '" + branch + "' ON BRANCH " + branch), "run_id").get(0);
          Map<String, List<String>> steps = PipelineTest.rows(s.executeQuery("SHOW RUN '" + runId + "'"));
          String detail = steps.get("detail").get(steps.get("kind").indexOf("scan"));
          assertTrue(detail.matches(".*read ([1-9][0-9]*) of [0-9]+ data files \\(\\1 from cache\\)"), detail);
        } finally {
          for (Map.Entry<Path, byte[]> file : saved.entrySet()) {
            Files.write(file.getKey(), file.getValue());
          }
        }
        assertEquals(expected, column(s.executeQuery("SELECT " + ROW + " FROM " + branch + ".public.kept ORDER BY id"), 1));
      }
    }
  }

  @Test
  void aFilterTheMetadataCannotDecideIsAppliedToEveryRowAtEveryRun() throws Exception {
    // "id >= 0" alone is exact and keeps every file whole; with COLUMNS(*), which expands over every
    // column the scan reads, it is not: files whose n or day hold nulls must be filtered, at each run
    String filter = "id >= 0 AND COLUMNS(*) IS NOT NULL";
    for (String table : List.of("readings", "flat")) {
      String branch = "inexact_" + table;
      try (Connection c = server.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE BRANCH " + branch + " FROM main");
        List<String> expected = column(s.executeQuery("SELECT " + ROW + " FROM " + table + " WHERE " + filter
            + " ORDER BY id"), 1);
        assertTrue(expected.size() < 240, "the filter drops rows: " + expected.size());
        project(branch, table, "id >= 0");
        PipelineTest.rows(s.executeQuery("RUN PIPELINE '" + branch + "' ON BRANCH " + branch)); // fills the cache
        project(branch, table, filter);
        for (int run = 0; run < 2; run++) {
          String runId = column(s.executeQuery("RUN PIPELINE '" + branch + "' ON BRANCH " + branch), "run_id").get(0);
          Map<String, List<String>> steps = PipelineTest.rows(s.executeQuery("SHOW RUN '" + runId + "'"));
          String detail = steps.get("detail").get(steps.get("kind").indexOf("scan"));
          assertTrue(detail.endsWith("(0 from cache)"), detail);
          assertEquals(expected, column(s.executeQuery("SELECT " + ROW + " FROM " + branch + ".public.kept ORDER BY id"),
              1), table + ", run " + run);
        }
      }
    }
  }

  /** One condition on an integer, date or timestamp column, some of them on values that are null in places. */
  private static String condition(Random random) {
    String month = (2022 + random.nextInt(2)) + "-" + String.format("%02d", 1 + random.nextInt(12));
    String op = List.of("=", "<", "<=", ">", ">=").get(random.nextInt(5));
    return switch (random.nextInt(7)) {
      case 0 -> "n " + op + " " + random.nextInt(4);
      case 1 -> "n IN (" + random.nextInt(4) + ", " + random.nextInt(4) + ")";
      case 2 -> "n IS " + (random.nextBoolean() ? "" : "NOT ") + "NULL";
      case 3 -> "id " + op + " " + random.nextInt(240);
      case 4 -> "day " + op + " '" + month + "-01'";
      case 5 -> "ts " + op + " '" + month + "-01'";
      default -> "ts BETWEEN '" + month + "-01 00:00:00' AND TIMESTAMP '" + month + "-15 12:00:00'";
    };
  }

  /** A project of one model materializing its input, the rows of {@code table} {@code filter} keeps. */
  private static void project(String name, String table, String filter) throws IOException {
    Path dir = Files.createDirectories(projects.resolve(name));
    Files.writeString(dir.resolve("models.py"), """
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def kept(data=tarn.Model("%s", columns=["id", "n", "day", "ts", "country"], filter="%s")):
            return data
        """.formatted(table, filter));
  }
}
