package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.ApproveMergeRequest;
import dev.tarn.sql.command.MergeRequestCommand;
import dev.tarn.sql.command.RejectMergeRequest;
import dev.tarn.sql.command.ShowMergeRequests;
import dev.tarn.sql.command.TarnCommand;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW MERGE REQUESTS}, {@code APPROVE MERGE REQUEST n}, {@code REJECT MERGE REQUEST n [REASON '...']}. */
public final class SqlMergeRequestStatement extends SqlTarnStatement {
  private final MergeRequestCommand command;

  SqlMergeRequestStatement(SqlParserPos pos, MergeRequestCommand command) {
    super(command.statementName(), pos);
    this.command = command;
  }

  @Override
  public TarnCommand toCommand() {
    return command;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(command.statementName());
    if (command instanceof ApproveMergeRequest approve) {
      writer.print(Long.toString(approve.id()));
    } else if (command instanceof RejectMergeRequest reject) {
      writer.print(Long.toString(reject.id()));
      reject.reason().ifPresent(reason -> {
        writer.keyword("REASON");
        SqlLiteral.createCharString(reason, SqlParserPos.ZERO).unparse(writer, 0, 0);
      });
    } else if (!(command instanceof ShowMergeRequests)) {
      throw new IllegalStateException("not a statement of this node: " + command);
    }
  }
}
