package dev.tarn.sql.parser.admin;

import dev.tarn.sql.command.AdminCommand;
import dev.tarn.sql.command.TarnCommand;
import dev.tarn.sql.parser.ddl.SqlTarnStatement;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** The parse tree of an administration statement: it holds its command, and unparses as the command's SQL. */
public final class SqlAdminStatement extends SqlTarnStatement {
  private final AdminCommand command;

  SqlAdminStatement(SqlParserPos pos, AdminCommand command) {
    super(command.statementName(), pos);
    this.command = command;
  }

  @Override
  public TarnCommand toCommand() {
    return command;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.print(command.toSql());
  }
}
