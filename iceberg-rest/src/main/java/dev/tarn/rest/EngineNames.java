package dev.tarn.rest;

import java.util.Locale;

/**
 * The engine behind a request, named from what its Iceberg client sends: PyIceberg sends {@code
 * User-Agent: PyIceberg/0.x}, Iceberg's Java client {@code X-Client-Version: Apache Iceberg 1.x} (and
 * Spark, Trino and Flink use that client). Only a short, printable name is kept: it goes into commit
 * authors and SHOW LOG.
 */
final class EngineNames {
  private static final int MAX_LENGTH = 40;

  private EngineNames() {}

  static String of(String userAgent, String clientVersion) {
    String agent = userAgent == null ? "" : userAgent.toLowerCase(Locale.ROOT);
    String version = clientVersion == null ? "" : clientVersion.toLowerCase(Locale.ROOT);
    if (agent.contains("pyiceberg")) {
      return "PyIceberg";
    }
    for (String engine : new String[] {"Spark", "Trino", "Flink", "DuckDB", "Snowflake", "Dremio"}) {
      String lower = engine.toLowerCase(Locale.ROOT);
      if (agent.contains(lower) || version.contains(lower)) {
        return engine;
      }
    }
    if (version.contains("iceberg")) {
      return "Iceberg Java";
    }
    String first = userAgent == null ? "" : userAgent.strip().split("[\\s/]", 2)[0];
    String printable = first.codePoints().filter(c -> c > 0x20 && c < 0x7f).limit(MAX_LENGTH)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return printable.isEmpty() ? "an Iceberg REST client" : printable;
  }
}
