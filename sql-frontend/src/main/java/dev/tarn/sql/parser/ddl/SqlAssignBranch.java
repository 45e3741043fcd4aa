package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.AssignBranch;
import dev.tarn.sql.command.TarnCommand;
import java.util.Optional;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code ALTER BRANCH name ASSIGN TO reference [AT COMMIT 'hash'] [IN catalog]}, also written
 * {@code ASSIGN BRANCH name TO reference [AT 'hash']}; unparses to the first form.
 */
public final class SqlAssignBranch extends SqlTarnStatement {
  private final SqlIdentifier branch;
  private final SqlReferenceSpec to;
  private final @Nullable SqlIdentifier catalog;

  SqlAssignBranch(SqlParserPos pos, SqlIdentifier branch, SqlReferenceSpec to, @Nullable SqlIdentifier catalog) {
    super("ALTER BRANCH", pos);
    this.branch = branch;
    this.to = to;
    this.catalog = catalog;
  }

  @Override
  public TarnCommand toCommand() {
    return new AssignBranch(branch.getSimple(), to.toSpec(), Optional.ofNullable(catalog).map(SqlIdentifier::getSimple));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER BRANCH");
    branch.unparse(writer, 0, 0);
    writer.keyword("ASSIGN TO");
    to.unparse(writer, false);
    unparseCatalog(writer, catalog);
  }
}
