package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.ShowDiff;
import dev.tarn.sql.command.TarnCommand;
import java.util.Optional;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code SHOW DIFF source [AGAINST target] [IN catalog]}. */
public final class SqlShowDiff extends SqlTarnStatement {
  private final SqlIdentifier source;
  private final @Nullable SqlIdentifier against;
  private final @Nullable SqlIdentifier catalog;

  SqlShowDiff(SqlParserPos pos, SqlIdentifier source, @Nullable SqlIdentifier against, @Nullable SqlIdentifier catalog) {
    super("SHOW DIFF", pos);
    this.source = source;
    this.against = against;
    this.catalog = catalog;
  }

  @Override
  public TarnCommand toCommand() {
    return new ShowDiff(source.getSimple(), Optional.ofNullable(against).map(SqlIdentifier::getSimple),
        Optional.ofNullable(catalog).map(SqlIdentifier::getSimple));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW DIFF");
    source.unparse(writer, 0, 0);
    if (against != null) {
      writer.keyword("AGAINST");
      against.unparse(writer, 0, 0);
    }
    unparseCatalog(writer, catalog);
  }
}
