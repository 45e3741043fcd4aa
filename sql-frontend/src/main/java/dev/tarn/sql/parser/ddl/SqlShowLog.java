package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.ShowLog;
import dev.tarn.sql.command.TarnCommand;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code SHOW LOG [reference] [LIMIT n] [IN catalog]}, also {@code SHOW LOGS}. */
public final class SqlShowLog extends SqlTarnStatement {
  private final @Nullable SqlIdentifier reference;
  private final @Nullable SqlNumericLiteral limit;
  private final @Nullable SqlIdentifier catalog;

  SqlShowLog(SqlParserPos pos, @Nullable SqlIdentifier reference, @Nullable SqlNumericLiteral limit,
      @Nullable SqlIdentifier catalog) {
    super("SHOW LOG", pos);
    this.reference = reference;
    this.limit = limit;
    this.catalog = catalog;
  }

  @Override
  public TarnCommand toCommand() {
    return new ShowLog(Optional.ofNullable(reference).map(SqlIdentifier::getSimple),
        limit == null ? OptionalInt.empty() : OptionalInt.of(limit.intValue(true)),
        Optional.ofNullable(catalog).map(SqlIdentifier::getSimple));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW LOG");
    if (reference != null) {
      reference.unparse(writer, 0, 0);
    }
    if (limit != null) {
      writer.keyword("LIMIT");
      limit.unparse(writer, 0, 0);
    }
    unparseCatalog(writer, catalog);
  }
}
