package dev.tarn.sql.parser.access;

import dev.tarn.sql.command.TarnCommand;
import dev.tarn.sql.command.access.AccessCommand;
import dev.tarn.sql.parser.ddl.TarnCommandNode;
import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code CREATE USER | ROLE | TOKEN ...}. */
public final class SqlAccessCreate extends SqlCreate implements TarnCommandNode {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("CREATE ACCESS OBJECT", SqlKind.OTHER_DDL);
  private final AccessCommand command;

  SqlAccessCreate(SqlParserPos pos, AccessCommand command) {
    super(OPERATOR, pos, false, false);
    this.command = command;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of();
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
