package dev.tarn.sql;

import dev.tarn.sql.SqlScanner.Kind;
import dev.tarn.sql.SqlScanner.Token;
import dev.tarn.sql.write.AlterAction;
import dev.tarn.sql.write.AlterTable;
import dev.tarn.sql.write.CopyFrom;
import dev.tarn.sql.write.CreateSchema;
import dev.tarn.sql.write.CreateTable;
import dev.tarn.sql.write.CreateView;
import dev.tarn.sql.write.DeleteFrom;
import dev.tarn.sql.write.DropSchema;
import dev.tarn.sql.write.DropTable;
import dev.tarn.sql.write.InsertInto;
import dev.tarn.sql.write.MergeInto;
import dev.tarn.sql.write.PartitionField;
import dev.tarn.sql.write.SqlSpan;
import dev.tarn.sql.write.TableWrite;
import dev.tarn.sql.write.UpdateTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads what a DDL or DML statement writes from its tokens, in DuckDB's dialect: the target follows
 * the leading keywords ({@code INSERT INTO}, {@code CREATE TABLE IF NOT EXISTS}, ...), so a token
 * scanner finds it, with its exact span, whether or not Calcite's grammars accept the rest.
 *
 * <p>Statements that write no lakehouse table or schema (views, macros, temporary tables,
 * {@code COPY ... TO}, ...) give nothing. Write statements whose shape Tarn must understand but
 * cannot (no target name, a malformed {@code PARTITIONED BY}, ...) give a {@link SqlSyntaxException}.
 * The rest of a statement is the engine's to check.
 */
final class TableWriteParser {

  /** Words that end a column's type in {@code ALTER TABLE ... ADD COLUMN name type ...}. */
  private static final Set<String> COLUMN_CONSTRAINT_WORDS = Set.of(
      "DEFAULT", "NOT", "NULL", "PRIMARY", "UNIQUE", "CHECK", "REFERENCES", "COLLATE", "CONSTRAINT",
      "GENERATED", "AS", "USING");

  /** Words that start a table constraint in {@code ALTER TABLE ... ADD ...} (without COLUMN). */
  private static final Set<String> TABLE_CONSTRAINT_WORDS = Set.of(
      "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN");

  private static final Set<String> TRANSFORMS = Set.of(
      "identity", "year", "month", "day", "hour", "bucket", "truncate");

  private final String sql;
  private final List<Token> tokens;
  private int next;

  private TableWriteParser(String sql, List<Token> tokens) {
    this.sql = sql;
    this.tokens = tokens;
  }

  /**
   * What the statement writes.
   *
   * @param sql the statement's original text
   * @param tokens its tokens, without trailing semicolons
   */
  static Optional<TableWrite> parse(String sql, List<Token> tokens) {
    try {
      return new TableWriteParser(sql, tokens).statement();
    } catch (Unbalanced e) {
      return Optional.empty(); // a syntax error DuckDB reports as well as Tarn could
    }
  }

  /** Parentheses that do not close: the statement is the engine's to reject. */
  private static final class Unbalanced extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unbalanced() {
      super(null, null, false, false);
    }
  }

  private Optional<TableWrite> statement() {
    Optional<SqlSpan> with = Optional.empty();
    if (atWord("WITH")) {
      int start = tokens.get(next).start();
      skipWithClause();
      with = Optional.of(new SqlSpan(start, next > 0 ? tokens.get(next - 1).end() : start));
    }
    Token first = peek(0);
    if (first == null || first.kind() != Kind.WORD) {
      return Optional.empty();
    }
    if (with.isPresent() && (first.isWord("UPDATE") || first.isWord("DELETE"))) {
      throw new SqlSyntaxException("a WITH clause before " + first.upper() + " is not supported: use a subquery"
          + " in the statement instead", position(with.get().startIndex()));
    }
    Optional<SqlSpan> withClause = with;
    return switch (first.upper()) {
      case "INSERT" -> Optional.of(insert(withClause));
      case "UPDATE" -> update();
      case "DELETE" -> Optional.of(delete());
      case "MERGE" -> Optional.of(merge());
      case "TRUNCATE" -> Optional.of(truncate());
      case "COPY" -> copy();
      case "CREATE" -> create();
      case "DROP" -> drop();
      case "ALTER" -> alter();
      default -> Optional.empty();
    };
  }

  // ---------------------------------------------------------------------------------------------
  // DML

  /** {@code WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (query), ...}: skipped. */
  private void skipWithClause() {
    int start = next;
    next++;
    acceptWord("RECURSIVE");
    while (true) {
      if (!atName()) {
        break;
      }
      next++;
      if (atSymbol('(')) {
        skipGroup();
      }
      if (!acceptWord("AS")) {
        break;
      }
      acceptWord("NOT");
      acceptWord("MATERIALIZED");
      if (!atSymbol('(')) {
        break;
      }
      skipGroup();
      if (acceptSymbol(',')) {
        continue;
      }
      if (atWord("USING") && peekIsWord(1, "KEY")) { // DuckDB's recursive CTEs: USING KEY (...)
        next += 2;
        if (atSymbol('(')) {
          skipGroup();
        }
        if (acceptSymbol(',')) {
          continue;
        }
      }
      return;
    }
    // Not the shape expected: the first statement keyword at the top level.
    next = start + 1;
    int depth = 0;
    for (; next < tokens.size(); next++) {
      Token token = tokens.get(next);
      if (isOpen(token)) {
        depth++;
      } else if (isClose(token)) {
        depth--;
      } else if (depth == 0 && token.kind() == Kind.WORD) {
        switch (token.upper()) {
          case "INSERT", "UPDATE", "DELETE", "MERGE", "SELECT", "VALUES", "FROM", "TABLE" -> {
            return;
          }
          default -> { }
        }
      }
    }
  }

  private TableWrite insert(Optional<SqlSpan> with) {
    next++; // INSERT
    boolean upsert = false;
    if (acceptWord("OR")) {
      if (!acceptWord("REPLACE") && !acceptWord("IGNORE")) {
        throw expected("REPLACE or IGNORE after INSERT OR");
      }
      upsert = true;
    }
    expectWord("INTO", "INTO after INSERT");
    Name name = tableName("a table name after INSERT INTO");
    Optional<String> alias = Optional.empty();
    if (atWord("AS") && isName(peek(1))) {
      alias = Optional.of(identifier(peek(1)));
      next += 2;
    }
    upsert |= hasOnConflict();
    Optional<SqlSpan> returning = returningClause();
    int conflictAt = upsert ? topLevelOnConflict() : -1;
    boolean byName = false;
    if (atWord("BY") && (peekIsWord(1, "NAME") || peekIsWord(1, "POSITION"))) {
      byName = peekIsWord(1, "NAME");
      next += 2;
    }
    List<String> columns = new ArrayList<>();
    if (atSymbol('(') && !startsQuery(peek(1))) {
      next++;
      columns = columnsToClose("INSERT");
    }
    Optional<String> source = Optional.empty();
    Optional<InsertInto.ConstantRow> constantRow = Optional.empty();
    if (atWord("DEFAULT") && peekIsWord(1, "VALUES")) {
      next += 2;
    } else {
      if (peek(0) == null) {
        throw expected("VALUES, a query or DEFAULT VALUES");
      }
      int end = conflictAt >= 0 ? tokens.get(conflictAt).start()
          : returning.map(SqlSpan::startIndex).orElse(statementEnd());
      String rows = sql.substring(tokens.get(next).start(), end);
      source = Optional.of(with.map(w -> w.text(sql) + "\n").orElse("") + rows);
      if (with.isEmpty() && !upsert && !byName && returning.isEmpty()) {
        constantRow = constantRow(next);
      }
    }
    Optional<InsertInto.OnConflict> onConflict = conflictAt >= 0
        ? onConflict(conflictAt, returning.map(SqlSpan::startIndex).orElse(statementEnd())) : Optional.empty();
    return new InsertInto(name.reference(), name.span(), alias, returning, upsert, columns, byName, source,
        onConflict, constantRow);
  }

  /**
   * Words that may start a query or a list comprehension ({@code [x FOR x IN ...]}), or stand for a
   * value the row does not hold: a column's default, or the session's schema, catalog or user
   * (functions DuckDB calls without parentheses).
   */
  private static final Set<String> NOT_CONSTANT = Set.of(
      "SELECT", "FROM", "WITH", "VALUES", "TABLE", "DEFAULT", "SUMMARIZE", "DESCRIBE", "SHOW", "PIVOT",
      "UNPIVOT", "EXISTS", "COLUMNS", "FOR", "USER", "SESSION_USER", "CURRENT_USER", "CURRENT_ROLE", "CURRENT_SCHEMA",
      "CURRENT_CATALOG", "CURRENT_DATABASE", "CURRENT_SCHEMAS", "CURRENT_QUERY", "CURRENT_SETTING");

  /**
   * The tokens from {@code at} to the statement's end as one {@link InsertInto.ConstantRow}: {@code
   * VALUES (...)}, then only semicolons. Words are allowed except those of {@link #NOT_CONSTANT} and
   * those called like functions (but {@code CAST} and {@code TRY_CAST}); quoted names and parameter
   * markers are not. Anything else is left to the general path, which judges it as a query.
   */
  private Optional<InsertInto.ConstantRow> constantRow(int at) {
    if (at + 1 >= tokens.size() || !tokens.get(at).isWord("VALUES") || !tokens.get(at + 1).isSymbol('(')) {
      return Optional.empty();
    }
    int resume = next;
    int close;
    try {
      next = at + 1;
      close = skipGroup();
    } catch (Unbalanced e) {
      return Optional.empty();
    } finally {
      next = resume;
    }
    if (!tokens.get(close).isSymbol(')') || close == at + 2) {
      return Optional.empty();
    }
    int depth = 0;
    int width = 1;
    for (int i = at + 2; i < close; i++) {
      Token token = tokens.get(i);
      if (isOpen(token)) {
        depth++;
      } else if (isClose(token)) {
        depth--;
      } else if (depth == 0 && token.isSymbol(',')) {
        // DuckDB allows a trailing comma: (7,) holds one value
        width += i + 1 < close ? 1 : 0;
      } else if (!constantToken(i)) {
        return Optional.empty();
      }
    }
    for (int i = close + 1; i < tokens.size(); i++) {
      if (!tokens.get(i).isSymbol(';')) {
        return Optional.empty();
      }
    }
    return Optional.of(new InsertInto.ConstantRow(
        sql.substring(tokens.get(at + 1).start(), tokens.get(close).end()), width));
  }

  private boolean constantToken(int i) {
    Token token = tokens.get(i);
    return switch (token.kind()) {
      case STRING, NUMBER -> true;
      case QUOTED_IDENTIFIER -> false;
      case SYMBOL -> !token.isSymbol('?') && !token.isSymbol('$') && !token.isSymbol(';');
      case WORD -> !NOT_CONSTANT.contains(token.upper())
          && (i + 1 >= tokens.size() || !tokens.get(i + 1).isSymbol('(')
              || token.isWord("CAST") || token.isWord("TRY_CAST"));
    };
  }

  /** The index of the top-level ON of ON CONFLICT, or -1. */
  private int topLevelOnConflict() {
    return topLevel(i -> tokens.get(i).isWord("ON") && i + 1 < tokens.size() && tokens.get(i + 1).isWord("CONFLICT"));
  }

  /** The names of a column list up to its ")", the "(" already read; {@code list} names it in errors. */
  private List<String> columnsToClose(String list) {
    List<String> columns = new ArrayList<>();
    do {
      if (!atName()) {
        throw expected("a column name in the " + list + " column list");
      }
      columns.add(identifier(tokens.get(next++)));
    } while (acceptSymbol(','));
    expectSymbol(')', "\",\" or \")\" in the " + list + " column list");
    return columns;
  }

  /**
   * {@code ON CONFLICT (columns) DO NOTHING | DO UPDATE SET ...} from token {@code at}; empty for the
   * forms without a column list (ON CONFLICT DO ..., ON CONFLICT ON CONSTRAINT), which name no key.
   */
  private Optional<InsertInto.OnConflict> onConflict(int at, int end) {
    int saved = next;
    next = at + 2;
    try {
      if (!atSymbol('(')) {
        return Optional.empty();
      }
      next++;
      List<String> columns = columnsToClose("ON CONFLICT");
      if (atWord("WHERE")) {
        throw expected("DO after the ON CONFLICT column list (a WHERE there is not supported)");
      }
      expectWord("DO", "DO NOTHING or DO UPDATE SET after ON CONFLICT (...)");
      if (acceptWord("NOTHING")) {
        return Optional.of(new InsertInto.OnConflict(columns, Optional.empty()));
      }
      expectWord("UPDATE", "NOTHING or UPDATE SET after DO");
      expectWord("SET", "SET after DO UPDATE");
      if (peek(0) == null || tokens.get(next).start() >= end) {
        throw expected("an assignment after SET");
      }
      return Optional.of(new InsertInto.OnConflict(columns, Optional.of(new SqlSpan(tokens.get(next).start(), end))));
    } finally {
      next = saved;
    }
  }

  /** True when a parenthesis opens a query ({@code INSERT INTO t (SELECT ...)}), not a column list. */
  private static boolean startsQuery(Token token) {
    return token != null && (token.isWord("SELECT") || token.isWord("VALUES") || token.isWord("WITH")
        || token.isWord("FROM") || token.isWord("TABLE") || token.isSymbol('('));
  }

  private Optional<TableWrite> update() {
    Token extensions = peek(1);
    if (extensions != null && extensions.isWord("EXTENSIONS") && (peek(2) == null || peek(2).isSymbol('('))) {
      return Optional.empty(); // UPDATE EXTENSIONS [(name, ...)]
    }
    next++;
    Name name = tableName("a table name after UPDATE");
    Optional<String> alias = alias(Set.of("SET"));
    Optional<SqlSpan> returning = returningClause();
    expectWord("SET", "SET after the table name");
    if (peek(0) == null) {
      throw expected("an assignment after SET");
    }
    SqlSpan assignments = new SqlSpan(tokens.get(next).start(),
        returning.map(SqlSpan::startIndex).orElse(statementEnd()));
    return Optional.of(new UpdateTable(name.reference(), name.span(), alias, returning, assignments));
  }

  private TableWrite delete() {
    next++;
    expectWord("FROM", "FROM after DELETE");
    Name name = tableName("a table name after DELETE FROM");
    Optional<String> alias = alias(Set.of("USING", "WHERE", "RETURNING"));
    Optional<SqlSpan> returning = returningClause();
    Optional<DeleteFrom.Filter> filter = Optional.empty();
    if (atWord("USING") || atWord("WHERE")) {
      String keyword = tokens.get(next++).upper();
      if (peek(0) == null) {
        throw expected("a " + (keyword.equals("USING") ? "table" : "condition") + " after " + keyword);
      }
      filter = Optional.of(new DeleteFrom.Filter(keyword, new SqlSpan(tokens.get(next).start(),
          returning.map(SqlSpan::startIndex).orElse(statementEnd()))));
    } else if (peek(0) != null && !atWord("RETURNING")) {
      throw expected("USING, WHERE or the end of the statement");
    }
    return new DeleteFrom(name.reference(), name.span(), alias, returning, filter);
  }

  private TableWrite merge() {
    next++;
    expectWord("INTO", "INTO after MERGE");
    Name name = tableName("a table name after MERGE INTO");
    Optional<String> alias = alias(Set.of("USING"));
    Optional<SqlSpan> returning = returningClause();
    int end = returning.map(SqlSpan::startIndex).orElse(statementEnd());
    expectWord("USING", "USING after the table name");
    int on = topLevelWord("ON");
    if (peek(0) == null || on == next) {
      throw expected("a table or a query after USING");
    }
    if (on < 0) {
      throw new SqlSyntaxException("MERGE INTO needs ON and a join condition after its source",
          position(statementEnd()));
    }
    SqlSpan source = new SqlSpan(tokens.get(next).start(), tokens.get(on).start());
    next = on + 1;
    int when = topLevelWord("WHEN");
    if (peek(0) == null || when == next) {
      throw expected("a join condition after ON");
    }
    if (when < 0) {
      throw new SqlSyntaxException("MERGE INTO needs at least one WHEN [NOT] MATCHED clause", position(end));
    }
    SqlSpan condition = new SqlSpan(tokens.get(next).start(), tokens.get(when).start());
    next = when;
    List<MergeInto.When> clauses = new ArrayList<>();
    while (atWord("WHEN")) {
      clauses.add(whenClause(end));
    }
    if (peek(0) != null && !atWord("RETURNING")) {
      throw expected("WHEN, RETURNING or the end of the statement");
    }
    return new MergeInto(name.reference(), name.span(), alias, returning, source, condition, clauses);
  }

  /** {@code WHEN [NOT] MATCHED [BY SOURCE|TARGET] [AND cond] THEN UPDATE SET ... | DELETE | INSERT ... | DO NOTHING}. */
  private MergeInto.When whenClause(int end) {
    next++;
    boolean matched = !acceptWord("NOT");
    expectWord("MATCHED", "MATCHED after WHEN or WHEN NOT");
    Optional<String> by = Optional.empty();
    if (acceptWord("BY")) {
      if (!atWord("SOURCE") && !atWord("TARGET")) {
        throw expected("SOURCE or TARGET after BY");
      }
      by = Optional.of(tokens.get(next++).upper());
    }
    Optional<SqlSpan> condition = Optional.empty();
    if (acceptWord("AND")) {
      int then = topLevelWord("THEN");
      if (then <= next) {
        throw expected("a condition after AND, then THEN");
      }
      condition = Optional.of(new SqlSpan(tokens.get(next).start(), tokens.get(then).start()));
      next = then;
    }
    expectWord("THEN", "THEN in a WHEN clause");
    if (acceptWord("DELETE")) {
      return new MergeInto.When(matched, by, condition, MergeInto.Action.DELETE, List.of(), Optional.empty());
    }
    if (acceptWord("DO")) {
      expectWord("NOTHING", "NOTHING after DO");
      return new MergeInto.When(matched, by, condition, MergeInto.Action.NOTHING, List.of(), Optional.empty());
    }
    if (acceptWord("UPDATE")) {
      expectWord("SET", "SET after UPDATE (UPDATE SET column = value, ...)");
      int stop = topLevelWord("WHEN");
      int stopAt = stop < 0 ? end : tokens.get(stop).start();
      if (peek(0) == null || tokens.get(next).start() >= stopAt) {
        throw expected("an assignment after SET");
      }
      SqlSpan body = new SqlSpan(tokens.get(next).start(), stopAt);
      next = stop < 0 ? indexAtOrAfter(end) : stop;
      return new MergeInto.When(matched, by, condition, MergeInto.Action.UPDATE, List.of(), Optional.of(body));
    }
    if (acceptWord("INSERT")) {
      List<String> columns = acceptSymbol('(') ? columnsToClose("INSERT") : List.of();
      expectWord("VALUES", "VALUES (...) after INSERT in a WHEN clause");
      if (!atSymbol('(')) {
        throw expected("( after VALUES");
      }
      int open = next;
      int close = skipGroup();
      if (close == open + 1) {
        throw new SqlSyntaxException("INSERT VALUES () in MERGE needs at least one value",
            position(tokens.get(open).start()));
      }
      SqlSpan body = new SqlSpan(tokens.get(open + 1).start(), tokens.get(close).start());
      return new MergeInto.When(matched, by, condition, MergeInto.Action.INSERT, columns, Optional.of(body));
    }
    throw expected("UPDATE SET, DELETE, INSERT ... VALUES (...) or DO NOTHING after THEN");
  }

  /** The index of the next token at parenthesis depth 0 that is {@code word}, or -1. */
  private int topLevelWord(String word) {
    return topLevel(i -> tokens.get(i).isWord(word));
  }

  /**
   * The index of the next token from the current one, at parenthesis depth 0, that {@code wanted}
   * accepts; -1 when there is none before a top-level RETURNING or the end.
   */
  private int topLevel(java.util.function.IntPredicate wanted) {
    int depth = 0;
    for (int i = next; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      if (isOpen(token)) {
        depth++;
      } else if (isClose(token)) {
        depth--;
      } else if (depth == 0 && wanted.test(i)) {
        return i;
      } else if (depth == 0 && token.isWord("RETURNING")) {
        return -1;
      }
    }
    return -1;
  }

  /** The index of the first token starting at or after the character {@code index}. */
  private int indexAtOrAfter(int index) {
    int i = next;
    while (i < tokens.size() && tokens.get(i).start() < index) {
      i++;
    }
    return i;
  }

  /** {@code TRUNCATE [TABLE] name}: deletes every row. */
  private TableWrite truncate() {
    next++;
    acceptWord("TABLE");
    Name name = tableName("a table name after TRUNCATE");
    expectEnd();
    return new DeleteFrom(name.reference(), name.span());
  }

  /** {@code COPY name [(cols)] FROM ...} appends; {@code COPY ... TO} and {@code COPY FROM DATABASE} read. */
  private Optional<TableWrite> copy() {
    next++;
    if (!atName() || (atWord("FROM") && peekIsWord(1, "DATABASE"))) {
      return Optional.empty();
    }
    Name name = tableName("a table name after COPY");
    if (atSymbol('(')) {
      skipGroup();
    }
    if (!atWord("FROM")) {
      return Optional.empty();
    }
    return Optional.of(new CopyFrom(name.reference(), name.span()));
  }

  /** The optional alias after a DML target: {@code AS x}, or a bare name that is not {@code stopWords}. */
  private Optional<String> alias(Set<String> stopWords) {
    if (atWord("AS") && isName(peek(1))) {
      next += 2;
      return Optional.of(identifier(peek(-1)));
    }
    Token token = peek(0);
    if (token != null && isName(token) && !(token.kind() == Kind.WORD && stopWords.contains(token.upper()))) {
      next++;
      return Optional.of(identifier(token));
    }
    return Optional.empty();
  }

  /** The span of a top-level {@code RETURNING ...}, to the statement's end. */
  private Optional<SqlSpan> returningClause() {
    int at = topLevel(i -> tokens.get(i).isWord("RETURNING"));
    return at < 0 ? Optional.empty() : Optional.of(new SqlSpan(tokens.get(at).start(), statementEnd()));
  }

  /** True when the rest has a top-level {@code ON CONFLICT [(...)] DO | ON CONFLICT ON CONSTRAINT}. */
  private boolean hasOnConflict() {
    int depth = 0;
    for (int i = next; i + 2 < tokens.size(); i++) {
      Token token = tokens.get(i);
      if (isOpen(token)) {
        depth++;
      } else if (isClose(token)) {
        depth--;
      } else if (depth == 0 && token.isWord("ON") && tokens.get(i + 1).isWord("CONFLICT")) {
        Token after = tokens.get(i + 2);
        if (after.isSymbol('(') || after.isWord("DO") || after.isWord("ON")) {
          return true;
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // DDL

  private Optional<TableWrite> create() {
    next++;
    Token or = peek(0);
    boolean orReplace = false;
    if (atWord("OR") && peekIsWord(1, "REPLACE")) {
      next += 2;
      orReplace = true;
    }
    boolean temporary = acceptWord("TEMP") || acceptWord("TEMPORARY");
    if (acceptWord("TABLE")) {
      return Optional.of(createTable(orReplace, temporary));
    }
    if (acceptWord("VIEW")) {
      boolean ifNotExists = ifNotExists();
      Name name = tableName("a view name after CREATE VIEW");
      if (atSymbol('(')) {
        throw new SqlSyntaxException("a column list after the view name is not supported: name the columns in"
            + " the query", position(tokens.get(next).start()));
      }
      expectWord("AS", "AS after the view name");
      if (peek(0) == null) {
        throw expected("a query after AS");
      }
      SqlSpan query = new SqlSpan(tokens.get(next).start(), statementEnd());
      next = tokens.size();
      // CREATE VIEW temp.x is temporary in DuckDB, TEMP or not
      return Optional.of(new CreateView(name.reference(), orReplace, ifNotExists,
          temporary || name.reference().qualifiedAsTemporary(), query));
    }
    if (temporary) {
      return Optional.empty(); // temporary macros, sequences...: refused, being neither tables nor views
    }
    if (atWord("SCHEMA")) {
      if (orReplace) {
        throw new SqlSyntaxException("CREATE OR REPLACE is not supported for schemas", position(or.start()));
      }
      next++;
      boolean ifNotExists = ifNotExists();
      Name name = schemaName("a schema name after CREATE SCHEMA");
      expectEnd();
      return Optional.of(new CreateSchema(name.last(), ifNotExists, name.qualifier()));
    }
    return Optional.empty();
  }

  private CreateTable createTable(boolean orReplace, boolean temporary) {
    boolean ifNotExists = ifNotExists();
    Name name = tableName("a table name after CREATE TABLE");
    Optional<String> columns = Optional.empty();
    if (atSymbol('(')) {
      Token open = tokens.get(next);
      Token close = tokens.get(skipGroup());
      columns = Optional.of(sql.substring(open.end(), close.start()));
    }
    List<PartitionField> partitionBy = List.of();
    Optional<SqlSpan> partitionClause = Optional.empty();
    if (atWord("PARTITIONED")) {
      int start = tokens.get(next).start();
      partitionBy = partitionedBy();
      partitionClause = Optional.of(new SqlSpan(start, tokens.get(next - 1).end()));
    }
    Optional<SqlSpan> asQuery = Optional.empty();
    if (atWord("AS")) {
      Token as = tokens.get(next++);
      if (peek(0) == null) {
        throw new SqlSyntaxException("Encountered end of statement. Was expecting a query after AS.",
            position(as.end()));
      }
      asQuery = Optional.of(new SqlSpan(tokens.get(next).start(), statementEnd()));
      next = tokens.size();
    }
    if (columns.isEmpty() && asQuery.isEmpty()) {
      throw expected("a column list or AS query after the table name");
    }
    expectEnd();
    // CREATE TABLE temp.x is temporary in DuckDB, TEMP or not
    return new CreateTable(name.reference(), orReplace, ifNotExists, columns, partitionBy, asQuery,
        partitionClause, temporary || name.reference().qualifiedAsTemporary());
  }

  /** {@code PARTITIONED BY (field, ...)}. */
  private List<PartitionField> partitionedBy() {
    next++; // PARTITIONED
    expectWord("BY", "BY after PARTITIONED");
    expectSymbol('(', "\"(\" after PARTITIONED BY");
    List<PartitionField> fields = new ArrayList<>();
    do {
      fields.add(partitionField());
    } while (acceptSymbol(','));
    expectSymbol(')', "\",\" or \")\" in PARTITIONED BY");
    return fields;
  }

  /** {@code col}, {@code transform(col)} or {@code transform(n, col)}. */
  private PartitionField partitionField() {
    Token first = peek(0);
    if (first == null || !isName(first)) {
      throw expected("a column or a transform (year, month, day, hour, bucket, truncate) in PARTITIONED BY");
    }
    if (first.kind() == Kind.WORD && peek(1) != null && peek(1).isSymbol('(')) {
      next += 2;
      String transform = transformName(first);
      List<Token> arguments = new ArrayList<>();
      List<String> columns = new ArrayList<>();
      if (!atSymbol(')')) {
        do {
          Token argument = peek(0);
          if (argument != null && argument.kind() == Kind.NUMBER) {
            arguments.add(argument);
            next++;
          } else if (argument != null && isName(argument)) {
            columns.add(columnPath());
          } else {
            throw expected("a column or a number in " + transform + "(...)");
          }
        } while (acceptSymbol(','));
      }
      expectSymbol(')', "\")\" after the arguments of " + first.text());
      boolean takesNumber = transform.equals("bucket") || transform.equals("truncate");
      if (columns.size() != 1 || arguments.size() != (takesNumber ? 1 : 0)) {
        String usage = takesNumber ? transform + "(" + (transform.equals("bucket") ? "16" : "4") + ", column)"
            : transform + "(column)";
        throw new SqlSyntaxException("PARTITIONED BY " + first.text() + " takes " + (takesNumber
            ? "a number and a column" : "one column") + ": " + usage, position(first.start()));
      }
      OptionalInt argument = OptionalInt.empty();
      if (takesNumber) {
        Token number = arguments.get(0);
        int value;
        try {
          value = Integer.parseInt(number.text());
        } catch (NumberFormatException e) {
          value = 0;
        }
        if (value <= 0) {
          throw new SqlSyntaxException(transform + " needs a positive integer, not " + number.text(),
              position(number.start()));
        }
        argument = OptionalInt.of(value);
      }
      return new PartitionField(transform, columns.get(0), argument);
    }
    return PartitionField.identity(columnPath());
  }

  private String transformName(Token token) {
    String name = token.text().toLowerCase(Locale.ROOT);
    String singular = switch (name) {
      case "years" -> "year";
      case "months" -> "month";
      case "days" -> "day";
      case "hours" -> "hour";
      default -> name;
    };
    if (!TRANSFORMS.contains(singular)) {
      throw new SqlSyntaxException("unknown partition transform " + token.text()
          + "; expected identity, year, month, day, hour, bucket or truncate", position(token.start()));
    }
    return singular;
  }

  /** A column, or a nested field {@code s.a}, its parts joined with '.'. */
  private String columnPath() {
    StringBuilder path = new StringBuilder(identifier(tokens.get(next++)));
    while (atSymbol('.') && isName(peek(1))) {
      path.append('.').append(identifier(peek(1)));
      next += 2;
    }
    return path.toString();
  }

  private Optional<TableWrite> drop() {
    next++;
    if (atWord("TABLE") || atWord("VIEW")) {
      String kind = tokens.get(next++).upper();
      boolean ifExists = ifExists();
      Name name = tableName("a " + kind.toLowerCase(Locale.ROOT) + " name after DROP " + kind);
      if (atSymbol(',')) {
        throw new SqlSyntaxException("DROP " + kind + " drops one " + kind.toLowerCase(Locale.ROOT) + " at a time",
            position(tokens.get(next).start()));
      }
      if (!acceptWord("CASCADE")) {
        acceptWord("RESTRICT");
      }
      expectEnd();
      return Optional.of(new DropTable(name.reference(), ifExists, kind.equals("VIEW")));
    }
    if (acceptWord("SCHEMA")) {
      boolean ifExists = ifExists();
      Name name = schemaName("a schema name after DROP SCHEMA");
      if (atSymbol(',')) {
        throw new SqlSyntaxException("DROP SCHEMA drops one schema at a time", position(tokens.get(next).start()));
      }
      boolean cascade = acceptWord("CASCADE");
      if (!cascade) {
        acceptWord("RESTRICT");
      }
      expectEnd();
      return Optional.of(new DropSchema(name.last(), ifExists, cascade, name.qualifier()));
    }
    return Optional.empty();
  }

  private Optional<TableWrite> alter() {
    next++;
    if (!acceptWord("TABLE")) {
      return Optional.empty();
    }
    boolean ifExists = ifExists();
    Name name = tableName("a table name after ALTER TABLE");
    if (peek(0) == null) {
      throw expected("an action (ADD COLUMN, DROP COLUMN, RENAME ...) after ALTER TABLE " + name.text());
    }
    List<AlterAction> actions = new ArrayList<>();
    int start = next;
    int depth = 0;
    for (int i = next; i <= tokens.size(); i++) {
      Token token = i < tokens.size() ? tokens.get(i) : null;
      if (token != null && isOpen(token)) {
        depth++;
      } else if (token != null && isClose(token)) {
        depth--;
      } else if (token == null || (depth == 0 && token.isSymbol(','))) {
        if (i == start) {
          throw new SqlSyntaxException("Encountered " + describe(token) + ". Was expecting an action.",
              position(token == null ? statementEnd() : token.start()));
        }
        actions.add(alterAction(tokens.subList(start, i)));
        start = i + 1;
      }
    }
    next = tokens.size();
    return Optional.of(new AlterTable(name.reference(), actions, ifExists));
  }

  private AlterAction alterAction(List<Token> action) {
    Token first = action.get(0);
    SqlSpan span = new SqlSpan(first.start(), action.get(action.size() - 1).end());
    AlterAction.Other other = new AlterAction.Other(span.text(sql), span);
    int i = 1;
    boolean column = i < action.size() && action.get(i).isWord("COLUMN");
    if (column) {
      i++;
    }
    switch (first.upper()) {
      case "ADD" -> {
        if (!column && i < action.size() && action.get(i).kind() == Kind.WORD
            && TABLE_CONSTRAINT_WORDS.contains(action.get(i).upper())) {
          return other; // ADD PRIMARY KEY (...), ADD CONSTRAINT ..., ...
        }
        boolean ifNotExists = false;
        if (words(action, i, "IF", "NOT", "EXISTS")) {
          ifNotExists = true;
          i += 3;
        }
        String name = columnName(action, i, "a column name after ADD" + (column ? " COLUMN" : ""));
        i++;
        int typeStart = i;
        int depth = 0;
        while (i < action.size()) {
          Token token = action.get(i);
          if (isOpen(token)) {
            depth++;
          } else if (isClose(token)) {
            depth--;
          } else if (depth == 0 && token.kind() == Kind.WORD && COLUMN_CONSTRAINT_WORDS.contains(token.upper())) {
            break;
          }
          i++;
        }
        if (i == typeStart) {
          throw new SqlSyntaxException("Encountered " + describe(i < action.size() ? action.get(i) : null)
              + ". Was expecting the type of column " + name + ".",
              position(i < action.size() ? action.get(i).start() : span.endIndex()));
        }
        String type = sql.substring(action.get(typeStart).start(), action.get(i - 1).end());
        Optional<String> constraints = i < action.size()
            ? Optional.of(sql.substring(action.get(i).start(), span.endIndex()))
            : Optional.empty();
        return new AlterAction.AddColumn(name, type, ifNotExists, constraints);
      }
      case "DROP" -> {
        if (!column && i < action.size() && action.get(i).isWord("CONSTRAINT")) {
          return other;
        }
        boolean ifExists = false;
        if (words(action, i, "IF", "EXISTS")) {
          ifExists = true;
          i += 2;
        }
        String name = columnName(action, i, "a column name after DROP" + (column ? " COLUMN" : ""));
        i++;
        if (i < action.size() && (action.get(i).isWord("CASCADE") || action.get(i).isWord("RESTRICT"))) {
          i++;
        }
        return i == action.size() ? new AlterAction.DropColumn(name, ifExists) : other;
      }
      case "RENAME" -> {
        if (!column && i < action.size() && action.get(i).isWord("TO")
            && !(i + 1 < action.size() && action.get(i + 1).isWord("TO"))) {
          String newName = columnName(action, i + 1, "a new table name after RENAME TO");
          return action.size() == i + 2 ? new AlterAction.RenameTable(newName) : other;
        }
        if (!column && i < action.size() && action.get(i).isWord("CONSTRAINT")) {
          return other;
        }
        String from = columnName(action, i, "a column name after RENAME" + (column ? " COLUMN" : ""));
        if (i + 1 >= action.size() || !action.get(i + 1).isWord("TO")) {
          Token token = i + 1 < action.size() ? action.get(i + 1) : null;
          throw new SqlSyntaxException("Encountered " + describe(token) + ". Was expecting \"TO\".",
              position(token == null ? span.endIndex() : token.start()));
        }
        String to = columnName(action, i + 2, "a new column name after TO");
        return i + 3 == action.size() ? new AlterAction.RenameColumn(from, to) : other;
      }
      default -> {
        return other;
      }
    }
  }

  private String columnName(List<Token> action, int i, String what) {
    if (i < action.size() && isName(action.get(i))) {
      return identifier(action.get(i));
    }
    Token token = i < action.size() ? action.get(i) : null;
    int at = token != null ? token.start() : action.get(action.size() - 1).end();
    throw new SqlSyntaxException("Encountered " + describe(token) + ". Was expecting " + what + ".", position(at));
  }

  private static boolean words(List<Token> tokens, int from, String... words) {
    if (from + words.length > tokens.size()) {
      return false;
    }
    for (int k = 0; k < words.length; k++) {
      if (!tokens.get(from + k).isWord(words[k])) {
        return false;
      }
    }
    return true;
  }

  private boolean ifNotExists() {
    if (atWord("IF") && peekIsWord(1, "NOT") && peekIsWord(2, "EXISTS")) {
      next += 3;
      return true;
    }
    return false;
  }

  private boolean ifExists() {
    if (atWord("IF") && peekIsWord(1, "EXISTS")) {
      next += 2;
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Names

  /** A possibly qualified name with its span. */
  private record Name(List<String> parts, int start, int end, String text, SqlPosition position) {
    TableReference reference() {
      return new TableReference(parts, position);
    }

    SqlSpan span() {
      return new SqlSpan(start, end);
    }

    String last() {
      return parts.get(parts.size() - 1);
    }

    Optional<String> qualifier() {
      return parts.size() == 1 ? Optional.empty() : Optional.of(String.join(".", parts.subList(0, parts.size() - 1)));
    }
  }

  /** {@code t}, {@code schema.t} or {@code catalog.schema.t}. */
  private Name tableName(String what) {
    return name(what, 3, "a table name has at most three parts (catalog.schema.table)");
  }

  /** {@code schema} or {@code catalog.schema}. */
  private Name schemaName(String what) {
    return name(what, 2, "a schema name has at most two parts (catalog.schema)");
  }

  private Name name(String what, int maxParts, String tooMany) {
    if (!atName()) {
      throw expected(what);
    }
    Token first = tokens.get(next);
    List<String> parts = new ArrayList<>();
    parts.add(identifier(tokens.get(next++)));
    Token last = first;
    while (atSymbol('.')) {
      Token part = peek(1);
      if (part == null || !isName(part)) {
        next++;
        throw expected("a name after \".\"");
      }
      if (parts.size() == maxParts) {
        throw new SqlSyntaxException(tooMany, position(part.start()));
      }
      parts.add(identifier(part));
      last = part;
      next += 2;
    }
    String text = sql.substring(first.start(), last.end());
    return new Name(parts, first.start(), last.end(), text, position(first.start(), last.end()));
  }

  /** A name token's text: unquoted words as typed, quoted identifiers without their quotes. */
  private String identifier(Token token) {
    if (token.kind() == Kind.WORD) {
      return token.text();
    }
    String text = token.text();
    if (text.length() < 2 || !text.endsWith("\"")) {
      throw new SqlSyntaxException("unterminated quoted identifier", position(token.start()));
    }
    String name = text.substring(1, text.length() - 1).replace("\"\"", "\"");
    if (name.isEmpty()) {
      throw new SqlSyntaxException("zero-length quoted identifier", position(token.start()));
    }
    return name;
  }

  private static boolean isName(Token token) {
    return token != null && (token.kind() == Kind.WORD || token.kind() == Kind.QUOTED_IDENTIFIER);
  }

  // ---------------------------------------------------------------------------------------------
  // Tokens

  private Token peek(int ahead) {
    int i = next + ahead;
    return i >= 0 && i < tokens.size() ? tokens.get(i) : null;
  }

  private boolean atName() {
    return isName(peek(0));
  }

  private boolean atWord(String word) {
    Token token = peek(0);
    return token != null && token.isWord(word);
  }

  private boolean peekIsWord(int ahead, String word) {
    Token token = peek(ahead);
    return token != null && token.isWord(word);
  }

  private boolean atSymbol(char c) {
    Token token = peek(0);
    return token != null && token.isSymbol(c);
  }

  private boolean acceptWord(String word) {
    if (atWord(word)) {
      next++;
      return true;
    }
    return false;
  }

  private boolean acceptSymbol(char c) {
    if (atSymbol(c)) {
      next++;
      return true;
    }
    return false;
  }

  private void expectWord(String word, String what) {
    if (!acceptWord(word)) {
      throw expected(what);
    }
  }

  private void expectSymbol(char c, String what) {
    if (!acceptSymbol(c)) {
      throw expected(what);
    }
  }

  private void expectEnd() {
    Token token = peek(0);
    if (token != null) {
      throw new SqlSyntaxException("Encountered " + describe(token) + ". Was expecting end of statement.",
          position(token.start()));
    }
  }

  /** Skips the parenthesized group opening at the current token; returns the index of its ")". */
  private int skipGroup() {
    int depth = 0;
    for (int i = next; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      if (isOpen(token)) {
        depth++;
      } else if (isClose(token)) {
        depth--;
        if (depth == 0) {
          next = i + 1;
          return i;
        }
      }
    }
    throw new Unbalanced();
  }

  private static boolean isOpen(Token token) {
    return token.isSymbol('(') || token.isSymbol('[') || token.isSymbol('{');
  }

  private static boolean isClose(Token token) {
    return token.isSymbol(')') || token.isSymbol(']') || token.isSymbol('}');
  }

  private int statementEnd() {
    return tokens.isEmpty() ? 0 : tokens.get(tokens.size() - 1).end();
  }

  private SqlSyntaxException expected(String what) {
    Token token = peek(0);
    return new SqlSyntaxException("Encountered " + describe(token) + ". Was expecting " + what + ".",
        position(token == null ? statementEnd() : token.start()));
  }

  private static String describe(Token token) {
    return token == null ? "end of statement" : "\"" + token.text() + "\"";
  }

  /** The line and column of the character at {@code index}. */
  private SqlPosition position(int index) {
    int[] at = lineAndColumn(index);
    return SqlPosition.at(at[0], at[1]);
  }

  /** The position of {@code [start, end)}, end exclusive. */
  private SqlPosition position(int start, int end) {
    int[] from = lineAndColumn(start);
    int[] to = lineAndColumn(Math.max(start, end - 1));
    return new SqlPosition(from[0], from[1], to[0], to[1]);
  }

  /** 1-based line and column; lines end at '\n' (as {@link SqlPosition#startIndex} counts them). */
  private int[] lineAndColumn(int index) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index && i < sql.length(); i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new int[] {line, index - lineStart + 1};
  }
}
