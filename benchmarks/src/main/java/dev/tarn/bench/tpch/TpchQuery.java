package dev.tarn.bench.tpch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One of the 22 TPC-H queries, written in DuckDB's dialect from the TPC-H specification with its
 * validation parameters; the texts are {@code src/main/resources/tpch/qNN.sql}.
 *
 * @param number 1 to 22
 * @param sql the text, without its leading comment line
 * @param ordered whether the query has an ORDER BY, so its rows are compared in order
 */
record TpchQuery(int number, String sql, boolean ordered) {
  static final int COUNT = 22;

  /** {@code q01} .. {@code q22}: the key in tables and results. */
  String key() {
    return String.format(Locale.ROOT, "q%02d", number);
  }

  static List<TpchQuery> all() {
    List<TpchQuery> queries = new ArrayList<>();
    for (int n = 1; n <= COUNT; n++) {
      queries.add(load(n));
    }
    return queries;
  }

  static TpchQuery load(int number) {
    String resource = String.format(Locale.ROOT, "/tpch/q%02d.sql", number);
    try (InputStream in = TpchQuery.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      StringBuilder sql = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("--")) {
          sql.append(line).append('\n');
        }
      }
      String text = sql.toString().strip();
      return new TpchQuery(number, text, text.toUpperCase(Locale.ROOT).contains("ORDER BY"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
