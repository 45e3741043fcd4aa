package dev.tarn.sql.parser;

import dev.tarn.sql.parser.impl.TarnSqlParserImpl;
import java.io.Reader;
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

  private static final class FailFastTarnParser extends TarnSqlParserImpl {
    FailFastTarnParser(Reader reader) {
      super(reader);
    }

    @Override
    public dev.tarn.sql.parser.impl.ParseException generateParseException() {
      return new dev.tarn.sql.parser.impl.ParseException("does not parse");
    }
  }

  private static final class FailFastBabelParser extends SqlBabelParserImpl {
    FailFastBabelParser(Reader reader) {
      super(reader);
    }

    @Override
    public org.apache.calcite.sql.parser.babel.ParseException generateParseException() {
      return new org.apache.calcite.sql.parser.babel.ParseException("does not parse");
    }
  }
}
