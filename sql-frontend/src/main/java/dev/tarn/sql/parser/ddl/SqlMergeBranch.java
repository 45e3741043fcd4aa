package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.MergeBranch;
import dev.tarn.sql.command.TarnCommand;
import java.util.Optional;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code MERGE BRANCH [DRY RUN] source [INTO target] [IN catalog]}. */
public final class SqlMergeBranch extends SqlTarnStatement {
  private final SqlIdentifier source;
  private final @Nullable SqlIdentifier target;
  private final boolean dryRun;
  private final @Nullable SqlIdentifier catalog;

  SqlMergeBranch(SqlParserPos pos, SqlIdentifier source, @Nullable SqlIdentifier target, boolean dryRun,
      @Nullable SqlIdentifier catalog) {
    super("MERGE BRANCH", pos);
    this.source = source;
    this.target = target;
    this.dryRun = dryRun;
    this.catalog = catalog;
  }

  @Override
  public TarnCommand toCommand() {
    return new MergeBranch(source.getSimple(), Optional.ofNullable(target).map(SqlIdentifier::getSimple), dryRun,
        Optional.ofNullable(catalog).map(SqlIdentifier::getSimple));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("MERGE BRANCH");
    if (dryRun) {
      writer.keyword("DRY RUN");
    }
    source.unparse(writer, 0, 0);
    if (target != null) {
      writer.keyword("INTO");
      target.unparse(writer, 0, 0);
    }
    unparseCatalog(writer, catalog);
  }
}
