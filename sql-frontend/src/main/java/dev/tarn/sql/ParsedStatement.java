package dev.tarn.sql;

import dev.tarn.sql.command.TarnCommand;
import dev.tarn.sql.write.TableWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One statement as the frontend understood it.
 *
 * @param sql the user's original text; everything that is not a Tarn command reaches DuckDB as written
 * @param kind what the statement does
 * @param tables the tables it names, with their positions (empty when only the engine's dialect parsed it);
 *     a write's target is among them, in text order: see {@link #target()} and {@link #sources()}
 * @param command Tarn's own statement, present exactly when {@code kind == TARN_COMMAND}
 * @param parsedByCalcite true when Tarn's grammar parsed the whole statement; false when it was
 *     classified by its leading keywords and left for DuckDB's dialect
 * @param write what the statement does to the lakehouse's schemas and tables, for DDL and DML that
 *     create, alter, drop or write rows into one (read from the text, whichever grammar parsed it);
 *     empty for every other statement (queries, views, macros, temporary tables, COPY ... TO, ...)
 * @param parameterMarkers how many {@code ?} markers Tarn's grammar read in the statement (0 when it
 *     was not parsed by Calcite), time-travel parameters included
 */
public record ParsedStatement(
    String sql,
    StatementKind kind,
    List<TableReference> tables,
    Optional<TarnCommand> command,
    boolean parsedByCalcite,
    Optional<TableWrite> write,
    int parameterMarkers) {

  public ParsedStatement {
    tables = List.copyOf(tables);
    Objects.requireNonNull(write, "write");
    if (parameterMarkers < 0) {
      throw new IllegalArgumentException("parameterMarkers is a count, not " + parameterMarkers);
    }
    if (command.isPresent() != (kind == StatementKind.TARN_COMMAND)) {
      throw new IllegalArgumentException("a Tarn command must come with kind TARN_COMMAND, and only then");
    }
    if (write.isPresent() && kind != StatementKind.DDL && kind != StatementKind.DML) {
      throw new IllegalArgumentException("only DDL and DML write tables, not " + kind);
    }
  }

  /** A statement that writes no lakehouse table or schema. */
  public ParsedStatement(
      String sql, StatementKind kind, List<TableReference> tables, Optional<TarnCommand> command,
      boolean parsedByCalcite) {
    this(sql, kind, tables, command, parsedByCalcite, Optional.empty(), 0);
  }

  /** A statement without {@code ?} markers. */
  public ParsedStatement(
      String sql, StatementKind kind, List<TableReference> tables, Optional<TarnCommand> command,
      boolean parsedByCalcite, Optional<TableWrite> write) {
    this(sql, kind, tables, command, parsedByCalcite, write, 0);
  }

  /** The same statement with what it writes. */
  public ParsedStatement withWrite(Optional<TableWrite> newWrite) {
    return new ParsedStatement(sql, kind, tables, command, parsedByCalcite, newWrite, parameterMarkers);
  }

  /** The time-travel clauses whose point in time is a parameter, in text order. */
  public List<PointInTimeParameter> pointInTimeParameters() {
    return tables.stream().flatMap(t -> t.atParameter().stream()).toList();
  }

  /**
   * Where the statement's first token starts in {@link #sql}: what comes before it is white space,
   * comments and blanked empty statements ({@code ;;}). DuckDB places errors well only in a text
   * that starts with its first token.
   */
  public int textStart() {
    List<SqlScanner.Token> first = SqlScanner.tokens(sql, 1);
    return first.isEmpty() ? sql.length() : first.get(0).start();
  }

  /**
   * The statement's first word, upper-cased, after comments and opening parentheses ("SELECT",
   * "COPY", "BEGIN"...); empty when it starts with something else.
   */
  public String leadingKeyword() {
    return SqlScanner.leadingKeyword(sql);
  }

  /**
   * Exactly DuckDB's {@code SHOW TABLES [FROM name[.name]]}, after comments, with nothing else:
   * a listing of table names that reads no table.
   */
  public boolean isShowTables() {
    List<SqlScanner.Token> tokens = new ArrayList<>(SqlScanner.tokens(sql, SHOW_TABLES_MAX_TOKENS + 1));
    if (tokens.size() > SHOW_TABLES_MAX_TOKENS) {
      return false; // longer than any SHOW TABLES, even with a few semicolons after it
    }
    while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isSymbol(';')) {
      tokens.remove(tokens.size() - 1);
    }
    if (tokens.size() < 2 || !tokens.get(0).isWord("SHOW") || !tokens.get(1).isWord("TABLES")) {
      return false;
    }
    if (tokens.size() == 2) {
      return true;
    }
    if (!tokens.get(2).isWord("FROM")) {
      return false;
    }
    List<SqlScanner.Token> name = tokens.subList(3, tokens.size());
    return (name.size() == 1 || name.size() == 3 && name.get(1).isSymbol('.') && isName(name.get(2)))
        && isName(name.get(0));
  }

  /** Tokens of the longest text {@link #isShowTables} reads whole: the statement and a few semicolons. */
  private static final int SHOW_TABLES_MAX_TOKENS = 16;

  private static boolean isName(SqlScanner.Token token) {
    return token.kind() == SqlScanner.Kind.WORD || token.kind() == SqlScanner.Kind.QUOTED_IDENTIFIER;
  }

  /**
   * For {@code USE name} and {@code USE a.b}: the name's parts, unquoted, in order; an empty list
   * when the statement starts with USE but what follows is not a dotted name; empty for every other
   * statement (including {@code USE BRANCH}, a Tarn command).
   */
  public Optional<List<String>> useTarget() {
    if (kind != StatementKind.SESSION || !leadingKeyword().equals("USE")) {
      return Optional.empty();
    }
    List<SqlScanner.Token> tokens = new ArrayList<>(SqlScanner.tokens(sql));
    while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isSymbol(';')) {
      tokens.remove(tokens.size() - 1);
    }
    int use = 0;
    while (use < tokens.size() && tokens.get(use).isSymbol('(')) {
      use++;
    }
    List<String> parts = new ArrayList<>();
    for (int i = use + 1; i < tokens.size(); i++) {
      SqlScanner.Token token = tokens.get(i);
      boolean expectName = (i - use) % 2 == 1;
      if (expectName && token.kind() == SqlScanner.Kind.WORD) {
        parts.add(token.text());
      } else if (expectName && token.kind() == SqlScanner.Kind.QUOTED_IDENTIFIER && token.text().length() >= 2
          && token.text().endsWith("\"")) {
        parts.add(token.text().substring(1, token.text().length() - 1).replace("\"\"", "\""));
      } else if (expectName || !token.isSymbol('.')) {
        return Optional.of(List.of());
      }
    }
    boolean endsOnName = (tokens.size() - use) % 2 == 0;
    return Optional.of(endsOnName && !parts.isEmpty() ? List.copyOf(parts) : List.of());
  }

  /** True when the statement returns rows rather than an update count. */
  public boolean returnsRows() {
    return kind == StatementKind.QUERY;
  }

  /** The table the statement writes (created, altered, dropped, or whose rows change), if any. */
  public Optional<TableReference> target() {
    return write.flatMap(TableWrite::targetTable);
  }

  /**
   * The tables the statement reads: {@link #tables()} without the write's target (the same table
   * named again as a source, e.g. {@code INSERT INTO t SELECT * FROM t AT TAG v1}, stays).
   */
  public List<TableReference> sources() {
    Optional<TableReference> target = target();
    if (target.isEmpty()) {
      return tables;
    }
    SqlPosition at = target.get().position();
    return tables.stream()
        .filter(t -> t.position().line() != at.line() || t.position().column() != at.column())
        .toList();
  }
}
