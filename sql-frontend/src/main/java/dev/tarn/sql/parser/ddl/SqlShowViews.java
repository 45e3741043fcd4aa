package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.ShowViews;
import dev.tarn.sql.command.TarnCommand;
import java.util.Optional;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code SHOW VIEWS [reference] [IN catalog]}. */
public final class SqlShowViews extends SqlTarnStatement {
  private final @Nullable SqlIdentifier reference;
  private final @Nullable SqlIdentifier catalog;

  SqlShowViews(SqlParserPos pos, @Nullable SqlIdentifier reference, @Nullable SqlIdentifier catalog) {
    super("SHOW VIEWS", pos);
    this.reference = reference;
    this.catalog = catalog;
  }

  @Override
  public TarnCommand toCommand() {
    return new ShowViews(Optional.ofNullable(reference).map(SqlIdentifier::getSimple),
        Optional.ofNullable(catalog).map(SqlIdentifier::getSimple));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW VIEWS");
    if (reference != null) {
      reference.unparse(writer, 0, 0);
    }
    unparseCatalog(writer, catalog);
  }
}
