package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.TarnCommand;
import dev.tarn.sql.command.UseReference;
import java.util.Optional;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code USE BRANCH | TAG | REFERENCE name [AT COMMIT 'hash' | AT TIMESTAMP 'ts'] [IN catalog]}. */
public final class SqlUseReference extends SqlTarnStatement {
  private final SqlReferenceSpec reference;
  private final @Nullable SqlIdentifier catalog;

  SqlUseReference(SqlParserPos pos, SqlReferenceSpec reference, @Nullable SqlIdentifier catalog) {
    super("USE REFERENCE", pos);
    this.reference = reference;
    this.catalog = catalog;
  }

  @Override
  public TarnCommand toCommand() {
    return new UseReference(reference.toSpec(), Optional.ofNullable(catalog).map(SqlIdentifier::getSimple));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("USE");
    reference.unparse(writer, true);
    unparseCatalog(writer, catalog);
  }
}
