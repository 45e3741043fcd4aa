package dev.tarn.sql.parser;

import dev.tarn.sql.parser.impl.TarnSqlParserImpl;
import java.io.Reader;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserImplFactory;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;

/**
 * Parsers that fail fast: for statements in DuckDB's dialect that Calcite's grammars reject, only
 * "it does not parse" matters, not the list of tokens that would have been valid. JavaCC builds that
 * list by re-running every lookahead of the grammar, which costs milliseconds on a large grammar;
 * these parsers skip it. Their errors carry no position or expected tokens: use the ordinary
 * parsers ({@link TarnSqlParserImpl#FACTORY}) where a user will read the error.
 */
public final class FailFastParsers {
  private FailFastParsers() {}

  /** Tarn's grammar, failing fast. */
  public static final SqlParserImplFactory TARN = FailFastTarnParser::new;

  /** calcite-babel's grammar, failing fast. */
  public static final SqlParserImplFactory BABEL = FailFastBabelParser::new;

  /** A parsed statement and how many {@code ?} markers the parser read in it. */
  public record Parsed(SqlNode statement, int parameterMarkers) {}

  /**
   * Parses one statement with {@code config}, whose parser factory is {@link #TARN} or {@link #BABEL}.
   * The marker count is the parser's own: it numbers each {@code ?} as it reads it, left to right.
   */
  public static Parsed parse(String text, SqlParser.Config config) throws SqlParseException {
    return parse(new java.io.StringReader(text), config);
  }

  /** Like {@link #parse(String, SqlParser.Config)}, reading the text from {@code text}. */
  public static Parsed parse(java.io.Reader text, SqlParser.Config config) throws SqlParseException {
    SqlParserImplFactory factory = config.parserFactory();
    SqlAbstractParserImpl[] created = new SqlAbstractParserImpl[1];
    SqlNode statement = SqlParser.create(text, config.withParserFactory(reader -> {
      created[0] = factory.getParser(reader);
      return created[0];
    })).parseStmt();
    if (!(created[0] instanceof CountsMarkers parser)) {
      throw new IllegalArgumentException("FailFastParsers.parse takes FailFastParsers.TARN or BABEL");
    }
    return new Parsed(statement, parser.parameterMarkers());
  }

  /** A parser that tells how many {@code ?} markers it has read. */
  private interface CountsMarkers {
    int parameterMarkers();
  }

  private static final class FailFastTarnParser extends TarnSqlParserImpl implements CountsMarkers {
    FailFastTarnParser(Reader reader) {
      super(reader);
    }

    @Override
    public int parameterMarkers() {
      return nDynamicParams;
    }

    @Override
    public dev.tarn.sql.parser.impl.ParseException generateParseException() {
      return new dev.tarn.sql.parser.impl.ParseException("does not parse");
    }
  }

  private static final class FailFastBabelParser extends SqlBabelParserImpl implements CountsMarkers {
    FailFastBabelParser(Reader reader) {
      super(reader);
    }

    @Override
    public int parameterMarkers() {
      return nDynamicParams;
    }

    @Override
    public org.apache.calcite.sql.parser.babel.ParseException generateParseException() {
      return new org.apache.calcite.sql.parser.babel.ParseException("does not parse");
    }
  }
}
