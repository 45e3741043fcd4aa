package dev.tarn.sql.parser.access;

import dev.tarn.sql.command.TarnCommand;
import dev.tarn.sql.command.access.AccessCommand;
import dev.tarn.sql.parser.ddl.SqlTarnStatement;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** An access statement that is neither CREATE nor DROP (GRANT, REVOKE, ALTER USER, SHOW ..., PROTECT ...). */
public final class SqlAccessStatement extends SqlTarnStatement {
  private final AccessCommand command;

  SqlAccessStatement(SqlParserPos pos, AccessCommand command) {
    super(command.statementName(), pos);
    this.command = command;
  }

  @Override
  public TarnCommand toCommand() {
    return command;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.print(command.redacted());
  }
}
