package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.ShowRuns;
import dev.tarn.sql.command.TarnCommand;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW RUNS}. */
public final class SqlShowRuns extends SqlTarnStatement {
  SqlShowRuns(SqlParserPos pos) {
    super("SHOW RUNS", pos);
  }

  @Override
  public TarnCommand toCommand() {
    return new ShowRuns();
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW RUNS");
  }
}
