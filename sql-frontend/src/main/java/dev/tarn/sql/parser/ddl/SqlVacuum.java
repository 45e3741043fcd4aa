package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.TarnCommand;
import dev.tarn.sql.command.Vacuum;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code VACUUM [DRY RUN]}. */
public final class SqlVacuum extends SqlTarnStatement {
  private final boolean dryRun;

  SqlVacuum(SqlParserPos pos, boolean dryRun) {
    super("VACUUM", pos);
    this.dryRun = dryRun;
  }

  @Override
  public TarnCommand toCommand() {
    return new Vacuum(dryRun);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("VACUUM");
    if (dryRun) {
      writer.keyword("DRY RUN");
    }
  }
}
