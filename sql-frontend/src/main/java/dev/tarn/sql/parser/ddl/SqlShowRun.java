package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.ShowRun;
import dev.tarn.sql.command.TarnCommand;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW RUN 'id'}. */
public final class SqlShowRun extends SqlTarnStatement {
  private final String id;

  SqlShowRun(SqlParserPos pos, String id) {
    super("SHOW RUN", pos);
    this.id = id;
  }

  @Override
  public TarnCommand toCommand() {
    return new ShowRun(id);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW RUN");
    SqlLiteral.createCharString(id, SqlParserPos.ZERO).unparse(writer, 0, 0);
  }
}
