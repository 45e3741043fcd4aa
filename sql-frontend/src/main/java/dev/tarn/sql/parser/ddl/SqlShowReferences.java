package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.ReferenceType;
import dev.tarn.sql.command.ShowReferences;
import dev.tarn.sql.command.TarnCommand;
import java.util.Optional;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code SHOW BRANCHES [ALL] | SHOW TAGS | SHOW REFERENCES [ALL] | LIST REFERENCES [IN catalog]}. */
public final class SqlShowReferences extends SqlTarnStatement {
  private final ReferenceType type;
  private final boolean all;
  private final @Nullable SqlIdentifier catalog;

  SqlShowReferences(SqlParserPos pos, ReferenceType type, boolean all, @Nullable SqlIdentifier catalog) {
    super("SHOW REFERENCES", pos);
    this.type = type;
    this.all = all;
    this.catalog = catalog;
  }

  @Override
  public TarnCommand toCommand() {
    return new ShowReferences(type == ReferenceType.ANY ? Optional.empty() : Optional.of(type),
        Optional.ofNullable(catalog).map(SqlIdentifier::getSimple), all);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW");
    switch (type) {
      case BRANCH -> writer.keyword("BRANCHES");
      case TAG -> writer.keyword("TAGS");
      case ANY -> writer.keyword("REFERENCES");
    }
    if (all) {
      writer.keyword("ALL");
    }
    unparseCatalog(writer, catalog);
  }
}
