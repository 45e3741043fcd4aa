package dev.tarn.executor;

import dev.tarn.executor.EngineException.Reason;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns DuckDB's error texts into {@link EngineException}s a user can act on. */
final class DuckDbErrors {
  private static final Pattern LINE = Pattern.compile("\\n(LINE (\\d+): )([^\\n]*)\\n( *)\\^");

  /**
   * How Arrow's C stream reader words an error the stream's producer reported while it ran:
   * {@code [errno -1] CDataJniException{errno=-1, message=<DuckDB's error>}}, without a cause.
   */
  private static final Pattern ARROW_STREAM = Pattern.compile(
      "\\[errno -?\\d+\\] CDataJniException\\{errno=-?\\d+, message=(.*)\\}", Pattern.DOTALL);

  /**
   * The catalog a statement's unqualified names resolve in, as DuckDB names it in "No catalog +
   * schema named ..." (a commit's views, or its table listing): the client never wrote it.
   */
  private static final String COMMIT_CATALOG_PREFIX = "\\blake_[0-9a-f]{16}(?:_names)?\\.";

  private DuckDbErrors() {}

  /**
   * DuckDB's error inside what Arrow's C stream reader threw while a result streamed (a cast that
   * fails on a later batch), translated as {@link #translate} does; empty for other failures.
   */
  static Optional<EngineException> fromArrowStream(Exception e) {
    Matcher m = e.getMessage() == null ? null : ARROW_STREAM.matcher(e.getMessage().strip());
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    return Optional.of(translate(new SQLException(m.group(1), e)));
  }

  /**
   * {@code translated} with every mention of {@code folder}'s absolute path taken out, so that a file
   * reads as its path inside that folder: clients need not know where the server keeps its files.
   */
  static EngineException withoutFolder(EngineException translated, java.nio.file.Path folder) {
    String message = translated.getMessage();
    String prefix = folder.toAbsolutePath().normalize() + java.io.File.separator;
    if (message == null || !message.contains(prefix)) {
      return translated;
    }
    return new EngineException(translated.reason(), translated.detail().replace(prefix, ""),
        translated.position().orElse(null), translated.getCause());
  }

  static EngineException translate(SQLException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
    if (message.startsWith("Parser Error:")) {
      return new EngineException(Reason.SYNTAX, syntaxMessage(message), e);
    }
    if (message.startsWith("Catalog Error:")) {
      return new EngineException(Reason.NOT_FOUND, firstParagraph(message), e);
    }
    if (message.startsWith("Permission Error:")) {
      return new EngineException(Reason.PERMISSION,
          firstParagraph(message).replace("file system operations are disabled by configuration",
              "client SQL may only read files inside the warehouse"), e);
    }
    if (message.startsWith("Invalid Input Error: Cannot change configuration option")
        && message.contains("the configuration has been locked")) {
      return new EngineException(Reason.PERMISSION,
          firstParagraph(message).replace("\"\"", "\"") + " by the Tarn server; engine settings cannot be changed from SQL", e);
    }
    // By DuckDB's error type alone: values in other errors' texts (a string that did not convert) are the user's
    if (message.startsWith("INTERRUPT Error") || e instanceof java.sql.SQLTimeoutException) {
      return new EngineException(Reason.CANCELLED, "the statement was cancelled", e);
    }
    Matcher m = LINE.matcher(message);
    if (!m.find()) {
      return new EngineException(Reason.INVALID, message, e);
    }
    int line = Integer.parseInt(m.group(2));
    int column = m.group(4).length() - m.group(1).length() + 1;
    String shown = m.group(3);
    EngineException.Position position = new EngineException.Position(line, column);
    if (shown.startsWith("...")) {
      // DuckDB shows a part of a long line, its caret within that part
      String window = shown.substring(3);
      window = window.endsWith("...") ? window.substring(0, window.length() - 3) : window;
      position = new EngineException.Position(line, column - 3, window);
    }
    return new EngineException(Reason.INVALID, firstParagraph(message), position, e);
  }

  /** "Parser Error: syntax error at or near "x"" plus DuckDB's caret becomes "line L, column C: ...". */
  private static String syntaxMessage(String message) {
    String what = firstParagraph(message).replaceFirst("^Parser Error: ", "");
    Matcher m = LINE.matcher(message);
    if (m.find() && !m.group(3).startsWith("...")) {
      int line = Integer.parseInt(m.group(2));
      int column = m.group(4).length() - m.group(1).length() + 1;
      return "Syntax error at line " + line + ", column " + column + ": " + what;
    }
    return "Syntax error: " + what;
  }

  private static String firstParagraph(String message) {
    int cut = message.indexOf("\n\n");
    String first = (cut < 0 ? message : message.substring(0, cut)).strip();
    // DuckDB suggests its own system tables, or Tarn's internal catalogs (per-commit views, other
    // sessions' temporary tables), for a misspelt table; those only mislead.
    return first.replaceAll("\\n?Did you mean \"[^\"]*(pg_|duckdb_|information_schema|sqlite_|lake_|scratch_|tarn_)[^\"]*\"\\??", "")
        .replaceAll(COMMIT_CATALOG_PREFIX, "")
        .strip();
  }
}
