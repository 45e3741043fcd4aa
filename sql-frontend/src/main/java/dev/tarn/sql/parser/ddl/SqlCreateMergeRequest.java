package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.CreateMergeRequest;
import dev.tarn.sql.command.TarnCommand;
import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code CREATE MERGE REQUEST FROM source INTO target [TITLE 'text'] [PROJECT 'path']}. */
public final class SqlCreateMergeRequest extends SqlCreate implements TarnCommandNode {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("CREATE MERGE REQUEST", SqlKind.OTHER_DDL);
  private final CreateMergeRequest command;

  SqlCreateMergeRequest(SqlParserPos pos, CreateMergeRequest command) {
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
    writer.keyword("CREATE MERGE REQUEST FROM");
    new SqlIdentifier(command.source(), SqlParserPos.ZERO).unparse(writer, 0, 0);
    writer.keyword("INTO");
    new SqlIdentifier(command.target(), SqlParserPos.ZERO).unparse(writer, 0, 0);
    command.title().ifPresent(title -> {
      writer.keyword("TITLE");
      SqlLiteral.createCharString(title, SqlParserPos.ZERO).unparse(writer, 0, 0);
    });
    command.project().ifPresent(project -> {
      writer.keyword("PROJECT");
      SqlLiteral.createCharString(project, SqlParserPos.ZERO).unparse(writer, 0, 0);
    });
  }
}
