package dev.tarn.sql;

import dev.tarn.sql.SqlScanner.Kind;
import dev.tarn.sql.SqlScanner.Token;
import dev.tarn.sql.command.TarnCommand;
import dev.tarn.sql.command.access.AccessCommandWords;
import dev.tarn.sql.parser.FailFastParsers;
import dev.tarn.sql.parser.ddl.TarnCommandNode;
import dev.tarn.sql.parser.impl.TarnSqlParserImpl;
import dev.tarn.sql.write.TableWrite;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Tarn's SQL frontend: parses every statement with Tarn's grammar (Calcite's, configured for DuckDB's
 * dialect, plus Tarn's commands and time-travel clauses), then with calcite-babel's, and classifies
 * what neither accepts by its leading keywords, leaving it for DuckDB.
 *
 * <p>Names: unquoted identifiers keep the case they were typed in (never upper-cased: Nessie
 * references are case-sensitive, and DuckDB compares names case-insensitively anyway); quoted
 * identifiers ({@code "feature/x"}) keep their exact text. Keywords are case-insensitive.
 *
 * <p>Thread-safe and stateless: parser configurations are built once; each call creates its own
 * parser.
 */
public final class TarnSqlFrontend implements SqlFrontend {

  /** Tarn's grammar, DuckDB's lexical conventions: "identifiers", 'strings', names as written. */
  private static final SqlParser.Config TARN_CONFIG = SqlParser.config()
      .withParserFactory(TarnSqlParserImpl.FACTORY)
      .withQuoting(Quoting.DOUBLE_QUOTE)
      .withUnquotedCasing(Casing.UNCHANGED)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(false)
      .withIdentifierMaxLength(1024)
      .withConformance(SqlConformanceEnum.BABEL);

  /** The grammars tried, in order, on statements that are not Tarn commands. */
  private static final List<SqlParser.Config> FAIL_FAST_CONFIGS = List.of(
      TARN_CONFIG.withParserFactory(FailFastParsers.TARN),
      TARN_CONFIG.withParserFactory(FailFastParsers.BABEL));

  /** The first two words of Tarn's commands (second word null: any). */
  private static final Map<String, Set<String>> TARN_COMMAND_WORDS = Map.ofEntries(
      Map.entry("CREATE", Set.of("BRANCH", "TAG", "MERGE")),
      Map.entry("DROP", Set.of("BRANCH", "TAG")),
      Map.entry("USE", Set.of("BRANCH", "TAG", "REFERENCE")),
      Map.entry("MERGE", Set.of("BRANCH")),
      Map.entry("ALTER", Set.of("BRANCH")),
      Map.entry("ASSIGN", Set.of("BRANCH")),
      Map.entry("SHOW", Set.of("BRANCHES", "TAGS", "REFERENCES", "LOG", "LOGS", "DIFF", "RUNS", "RUN", "MERGE", "VIEWS")),
      Map.entry("LIST", Set.of("REFERENCES")),
      Map.entry("RUN", Set.of("PIPELINE")),
      Map.entry("APPROVE", Set.of("MERGE")),
      Map.entry("REJECT", Set.of("MERGE")),
      Map.entry("OPTIMIZE", Set.of("TABLE")),
      Map.entry("EXPIRE", Set.of("SNAPSHOTS")));

  /** The table a predicate over one table's columns is read against (its columns are unqualified). */
  private static final String PREDICATE_TABLE = "tarn_scan";

  /** At most this many expected tokens are named in a syntax error; longer lists are left out. */
  private static final int MAX_EXPECTED_TOKENS = 8;

  private final StatementLimits limits;

  /** A frontend with the server's default {@link StatementLimits}. */
  public TarnSqlFrontend() {
    this(StatementLimits.DEFAULTS);
  }

  /** A frontend that refuses statements beyond {@code limits} before parsing them. */
  public TarnSqlFrontend(StatementLimits limits) {
    this.limits = limits;
  }

  /**
   * The configuration of Tarn's parser (grammar, quoting, casing), for stages that need Calcite's
   * parse tree itself, e.g. to unparse a statement: {@code SqlParser.create(sql, parserConfig()).parseStmt()}.
   */
  public static SqlParser.Config parserConfig() {
    return TARN_CONFIG;
  }

  @Override
  public ParsedStatement parse(String sql) {
    limits.checkSize(sql);
    List<Token> tokens = SqlScanner.tokens(sql);
    limits.checkNesting(tokens);
    ParseDeadline deadline = limits.startParse();
    int end = tokens.size();
    while (end > 0 && tokens.get(end - 1).isSymbol(';')) {
      end--;
    }
    if (end == 0) {
      throw new SqlSyntaxException("empty statement", SqlPosition.at(1, 1));
    }
    if (tokens.get(0).isSymbol(';')) {
      // Empty statements before it, which DuckDB skips too: the statement is the text after them,
      // with blanks in their place so that every position stays the client's.
      int first = 0;
      while (tokens.get(first).isSymbol(';')) {
        first++;
      }
      return parse(SqlScanner.blankedBefore(sql, tokens.get(first - 1).end()));
    }
    // Calcite reads the statement as DuckDB's lexer does (comments blanked, // a division), without its
    // semicolon; both keep positions. Where the lexers part, DuckDB alone reads it.
    int textEnd = tokens.get(end - 1).end();
    Optional<String> forCalcite = SqlScanner.forCalcite(sql, tokens).map(blanked -> blanked.substring(0, textEnd));
    List<Token> words = leadingTokens(tokens.subList(0, end));

    if (isTarnCommand(words)) {
      // Tarn's own statement: it parses, or the user gets a precise error.
      String text = forCalcite.orElse(sql.substring(0, textEnd));
      try {
        return parsed(sql, SqlParser.create(deadline.reader(text), TARN_CONFIG).parseStmt());
      } catch (SqlParseException e) {
        deadline.check();
        throw syntaxError(e);
      } catch (RuntimeException e) {
        deadline.check();
        throw new SqlSyntaxException(String.valueOf(e.getMessage()), SqlPosition.at(1, 1));
      }
    }
    // DuckDB's SQL: Tarn's grammar, then babel's, then the leading keywords. A failed attempt only
    // means "not this grammar", so the parsers fail fast, without computing the expected tokens.
    ParsedStatement statement = null;
    boolean calciteMayRead = FlatOperatorRuns.fitCalcite(tokens) && forCalcite.isPresent();
    for (SqlParser.Config config : calciteMayRead ? FAIL_FAST_CONFIGS : List.<SqlParser.Config>of()) {
      try {
        FailFastParsers.Parsed parsed = FailFastParsers.parse(deadline.reader(forCalcite.get()), config);
        statement = parsed(sql, parsed.statement(), parsed.parameterMarkers());
        break;
      } catch (SqlSyntaxException e) {
        throw e; // the grammar read the statement, and Tarn cannot do what it says
      } catch (SqlParseException | RuntimeException e) {
        deadline.check();
        // next grammar
      }
    }
    if (statement == null) {
      statement = new ParsedStatement(sql, classifyByKeywords(tokens.subList(0, end)), List.of(), Optional.empty(),
          false);
    }
    return withWrite(statement, tokens.subList(0, end));
  }

  /**
   * The statement with what it writes, for DDL and DML: read from the tokens, since the target follows
   * the leading keywords and DuckDB's dialect goes beyond Calcite's grammars (PARTITIONED BY, BY NAME, ...).
   */
  private static ParsedStatement withWrite(ParsedStatement statement, List<Token> tokens) {
    if (statement.kind() != StatementKind.DDL && statement.kind() != StatementKind.DML) {
      return statement;
    }
    Optional<TableWrite> write = TableWriteParser.parse(statement.sql(), tokens);
    if (write.isEmpty()) {
      return statement;
    }
    return statement.withWrite(write);
  }

  @Override
  public Optional<Explain> explain(String sql) {
    List<Token> tokens = SqlScanner.tokens(sql, 3);
    if (tokens.isEmpty() || !tokens.get(0).isWord("EXPLAIN")) {
      return Optional.empty();
    }
    boolean analyze = tokens.size() > 1 && tokens.get(1).isWord("ANALYZE");
    int statement = analyze ? 2 : 1;
    if (tokens.size() <= statement) {
      throw new SqlSyntaxException("EXPLAIN needs a query to explain", SqlPosition.at(1, 1));
    }
    return Optional.of(new Explain(analyze, sql.substring(tokens.get(statement).start())));
  }

  @Override
  public Optional<Set<String>> namesIn(String predicate) {
    return predicateOf(predicate).map(where -> {
      Set<String> names = new LinkedHashSet<>();
      where.accept(new SqlBasicVisitor<Void>() {
        @Override
        public Void visit(SqlIdentifier identifier) {
          if (!identifier.isStar()) {
            names.add(identifier.names.get(identifier.names.size() - 1));
          }
          return null;
        }
      });
      return Set.copyOf(names);
    });
  }

  @Override
  public Optional<ScanConditions> conditionsOf(String predicate) {
    // no qualifier names the predicate's table: "tarn_scan.x" may be a field of a struct column to DuckDB
    return predicateOf(predicate).map(where -> new ScanConditions(ScanFilters.of(where, "", Optional.empty()),
        ScanFilters.allOf(where, "").isPresent()));
  }

  /** Whether a SELECT does nothing but filter the rows of its one table: no grouping, windows, order or limit. */
  private static boolean onlyFiltered(SqlSelect select) {
    return select.getGroup() == null && select.getHaving() == null && select.getQualify() == null
        && (select.getWindowList() == null || select.getWindowList().isEmpty())
        && (select.getOrderList() == null || select.getOrderList().isEmpty())
        && select.getOffset() == null && select.getFetch() == null && !select.isDistinct()
        && select.getSelectList().size() == 1 && select.getSelectList().get(0) instanceof SqlIdentifier star
        && star.isStar() && select.getFrom() instanceof SqlIdentifier;
  }

  /**
   * A boolean expression over one table's columns, read as the WHERE of a query of that table, in
   * the form pipelines embed it in DuckDB's statements: in parentheses, the closing one on its own
   * line so that a trailing -- comment cannot swallow it. Empty when no grammar reads it.
   */
  private Optional<SqlNode> predicateOf(String predicate) {
    String sql = "SELECT * FROM " + PREDICATE_TABLE + " WHERE (" + predicate + "\n)";
    limits.checkSize(sql);
    List<Token> tokens = SqlScanner.tokens(sql);
    limits.checkNesting(tokens);
    Optional<String> forCalcite = SqlScanner.forCalcite(sql, tokens);
    if (forCalcite.isEmpty()) {
      return Optional.empty();
    }
    ParseDeadline deadline = limits.startParse();
    for (SqlParser.Config config : FAIL_FAST_CONFIGS) {
      try {
        SqlNode node = FailFastParsers.parse(deadline.reader(forCalcite.get()), config).statement();
        // Only a condition: a predicate that closes its parenthesis could add GROUP BY, QUALIFY...
        if (node instanceof SqlSelect select && select.getWhere() != null && onlyFiltered(select)) {
          return Optional.of(select.getWhere());
        }
      } catch (SqlParseException | RuntimeException e) {
        deadline.check();
        // next grammar
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean mayTakeParameters(String sql) {
    return SqlScanner.tokens(sql).stream().anyMatch(t -> t.isSymbol('?') || t.isSymbol('$'));
  }

  @Override
  public List<String> splitScript(String script) {
    limits.checkSize(script);
    limits.checkNesting(SqlScanner.tokens(script));
    return SqlScanner.split(script);
  }

  private static ParsedStatement parsed(String sql, SqlNode node) {
    return parsed(sql, node, 0);
  }

  private static ParsedStatement parsed(String sql, SqlNode node, int parameterMarkers) {
    if (node instanceof TarnCommandNode tarn) {
      TarnCommand command = tarn.toCommand();
      return new ParsedStatement(sql, StatementKind.TARN_COMMAND, List.of(), Optional.of(command), true);
    }
    return new ParsedStatement(sql, classify(node), TableReferenceCollector.collect(node), Optional.empty(), true,
        Optional.empty(), parameterMarkers);
  }

  /** The kind of a statement Calcite parsed. */
  static StatementKind classify(SqlNode node) {
    SqlKind kind = node.getKind();
    switch (kind) {
      case SET_OPTION:
        return StatementKind.SESSION;
      case COMMIT:
      case ROLLBACK:
        return StatementKind.TRANSACTION;
      case EXPLAIN:
      case DESCRIBE_TABLE:
      case DESCRIBE_SCHEMA:
        return StatementKind.QUERY;
      case PROCEDURE_CALL:
        return StatementKind.OTHER;
      default:
        break;
    }
    if (kind.belongsTo(SqlKind.QUERY)) {
      return StatementKind.QUERY;
    }
    if (kind.belongsTo(SqlKind.DML)) {
      return StatementKind.DML;
    }
    if (kind.belongsTo(SqlKind.DDL)) {
      return StatementKind.DDL;
    }
    // Babel's PostgreSQL nodes: SHOW is a query, BEGIN/COMMIT/ROLLBACK end or start transactions,
    // DISCARD resets session state.
    String name = node.getClass().getSimpleName();
    if (name.equals("SqlBegin") || name.equals("SqlCommit") || name.equals("SqlRollback")) {
      return StatementKind.TRANSACTION;
    }
    if (name.equals("SqlShow")) {
      return StatementKind.QUERY;
    }
    if (name.equals("SqlDiscard") || name.startsWith("SqlSetOptions")) {
      return StatementKind.SESSION;
    }
    return StatementKind.OTHER;
  }

  /** The statement's tokens after any opening parentheses. */
  private static List<Token> leadingTokens(List<Token> tokens) {
    int start = 0;
    while (start < tokens.size() && tokens.get(start).isSymbol('(')) {
      start++;
    }
    return tokens.subList(start, tokens.size());
  }

  private static boolean isTarnCommand(List<Token> words) {
    if (words.size() >= 4 && words.get(0).isWord("CREATE") && words.get(1).isWord("OR")
        && words.get(2).isWord("REPLACE")) {
      // CREATE OR REPLACE BRANCH | TAG: Tarn's, and an error
      return words.get(3).isWord("BRANCH") || words.get(3).isWord("TAG");
    }
    if (!words.isEmpty() && words.get(0).isWord("VACUUM")) {
      // Tarn's VACUUM [DRY RUN]; DuckDB's VACUUM [ANALYZE] table stays DuckDB's (and refused)
      return words.size() == 1 || words.get(1).isWord("DRY");
    }
    if (words.size() < 2 || words.get(0).kind() != Kind.WORD || words.get(1).kind() != Kind.WORD) {
      return false;
    }
    Set<String> second = TARN_COMMAND_WORDS.get(words.get(0).upper());
    return second != null && second.contains(words.get(1).upper())
        || dev.tarn.sql.parser.admin.AdminStatementWords.starts(words.get(0).upper(), words.get(1).upper())
        || AccessCommandWords.starts(words.get(0).upper(), words.get(1).upper());
  }

  /** The kind of a statement in DuckDB's dialect, from its leading keywords. */
  static StatementKind classifyByKeywords(List<Token> tokens) {
    List<Token> words = leadingTokens(tokens);
    if (words.isEmpty() || words.get(0).kind() != Kind.WORD) {
      return StatementKind.OTHER;
    }
    String first = words.get(0).upper();
    String second = words.size() > 1 && words.get(1).kind() == Kind.WORD ? words.get(1).upper() : "";
    switch (first) {
      case "SELECT", "VALUES", "FROM", "TABLE", "DESCRIBE", "DESC", "SHOW", "SUMMARIZE", "EXPLAIN",
          "PIVOT", "UNPIVOT", "PIVOT_WIDER", "PIVOT_LONGER" -> {
        return StatementKind.QUERY;
      }
      case "WITH" -> {
        return classifyWithBody(words);
      }
      case "PRAGMA" -> {
        // PRAGMA name = value sets an option; PRAGMA name[(args)] returns rows.
        return hasTopLevelEquals(words) ? StatementKind.SESSION : StatementKind.QUERY;
      }
      case "INSERT", "DELETE", "MERGE", "UPSERT" -> {
        return StatementKind.DML;
      }
      case "UPDATE" -> {
        return second.equals("EXTENSIONS") ? StatementKind.DDL : StatementKind.DML;
      }
      case "CREATE", "DROP", "ALTER", "TRUNCATE", "COPY", "EXPORT", "IMPORT", "ATTACH", "DETACH", "INSTALL",
          "LOAD", "COMMENT", "GRANT", "REVOKE" -> {
        return StatementKind.DDL;
      }
      case "FORCE" -> {
        return second.equals("INSTALL") ? StatementKind.DDL : StatementKind.OTHER;
      }
      case "SET", "RESET", "USE" -> {
        return StatementKind.SESSION;
      }
      case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT" -> {
        return StatementKind.TRANSACTION;
      }
      default -> {
        return StatementKind.OTHER; // CHECKPOINT, VACUUM, ANALYZE, CALL, PREPARE, EXECUTE, ...
      }
    }
  }

  /** WITH ... SELECT is a query; WITH ... INSERT | UPDATE | DELETE | MERGE changes rows. */
  private static StatementKind classifyWithBody(List<Token> words) {
    int depth = 0;
    for (Token token : words.subList(1, words.size())) {
      if (token.isSymbol('(')) {
        depth++;
      } else if (token.isSymbol(')')) {
        depth--;
      } else if (depth == 0 && token.kind() == Kind.WORD) {
        switch (token.upper()) {
          case "INSERT", "UPDATE", "DELETE", "MERGE" -> {
            return StatementKind.DML;
          }
          case "SELECT", "VALUES", "FROM", "TABLE", "SUMMARIZE", "DESCRIBE", "PIVOT", "UNPIVOT" -> {
            return StatementKind.QUERY;
          }
          default -> {
            // a CTE's name, AS, RECURSIVE, [NOT] MATERIALIZED
          }
        }
      }
    }
    return StatementKind.QUERY;
  }

  private static boolean hasTopLevelEquals(List<Token> words) {
    int depth = 0;
    for (Token token : words) {
      if (token.isSymbol('(')) {
        depth++;
      } else if (token.isSymbol(')')) {
        depth--;
      } else if (depth == 0 && token.isSymbol('=')) {
        return true;
      }
    }
    return false;
  }

  /**
   * Calcite's error, shortened: {@code Encountered "X" at line L, column C.} plus, when there are at
   * most eight, {@code Was expecting one of: A, B, ...}; errors raised by Tarn's rules keep their message.
   */
  static SqlSyntaxException syntaxError(SqlParseException e) {
    SqlParserPos pos = e.getPos();
    SqlPosition position = pos == null || pos.getLineNum() == 0
        ? SqlPosition.at(1, 1)
        : TableReferenceCollector.position(pos);
    SqlSyntaxException error = new SqlSyntaxException(syntaxMessage(e), position);
    error.initCause(e);
    return error;
  }

  private static String syntaxMessage(SqlParseException e) {
    if (e.getCause() instanceof CalciteContextException context) {
      String message = context.getCause() != null ? context.getCause().getMessage() : context.getMessage();
      return stripContextPrefix(message);
    }
    String message = String.valueOf(e.getMessage()).strip();
    int newline = message.indexOf('\n');
    String first = (newline < 0 ? message : message.substring(0, newline)).strip();
    // Calcite words a keyword where a name was possible differently; Tarn keeps one format.
    first = first.replaceFirst("^Incorrect syntax near the keyword '(.*)' at (line \\d+, column \\d+\\.)$",
        "Encountered \"$1\" at $2");
    // The exception names the position already; keep the text to what went wrong.
    first = first.replaceFirst(" at line \\d+, column \\d+\\.$", ".");
    if (e.getExpectedTokenSequences() == null) {
      return first;
    }
    Collection<String> expected = new TreeSet<>(e.getExpectedTokenNames());
    expected.remove("\";\"");
    if (expected.isEmpty() || expected.size() > MAX_EXPECTED_TOKENS) {
      return first;
    }
    Set<String> names = new LinkedHashSet<>();
    for (String name : expected) {
      names.add(describeToken(name));
    }
    return first + " Was expecting " + (names.size() == 1 ? "" : "one of: ") + String.join(", ", names) + ".";
  }

  /** Calcite's token names, as users think of them: all identifier tokens are "identifier"... */
  private static String describeToken(String name) {
    if (name.equals("<EOF>")) {
      return "end of statement";
    }
    if (!name.startsWith("<")) {
      return name; // a keyword or symbol, quoted
    }
    if (name.contains("IDENTIFIER")) {
      return "identifier";
    }
    if (name.contains("STRING")) {
      return "string literal";
    }
    if (name.contains("NUMERIC") || name.contains("INTEGER")) {
      return "number";
    }
    return name;
  }

  /** Drops the "From line 1, column 2 to line 1, column 5: " Calcite puts before its messages. */
  private static String stripContextPrefix(String message) {
    if (message == null) {
      return "syntax error";
    }
    return message.replaceFirst("^From line \\d+, column \\d+ to line \\d+, column \\d+: ", "").strip();
  }
}
