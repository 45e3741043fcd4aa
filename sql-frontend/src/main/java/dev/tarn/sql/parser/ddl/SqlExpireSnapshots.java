package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.ExpireSnapshots;
import dev.tarn.sql.command.TarnCommand;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code EXPIRE SNAPSHOTS [OLDER THAN 'timestamp'] [RETAIN LAST n] [DRY RUN]}. */
public final class SqlExpireSnapshots extends SqlTarnStatement {
  private final ExpireSnapshots command;

  SqlExpireSnapshots(SqlParserPos pos, Optional<String> olderThan, OptionalInt retainLast, boolean dryRun) {
    super("EXPIRE SNAPSHOTS", pos);
    this.command = new ExpireSnapshots(olderThan, retainLast, dryRun);
  }

  @Override
  public TarnCommand toCommand() {
    return command;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("EXPIRE SNAPSHOTS");
    command.olderThan().ifPresent(t -> {
      writer.keyword("OLDER THAN");
      SqlLiteral.createCharString(t, SqlParserPos.ZERO).unparse(writer, 0, 0);
    });
    if (command.retainLast().isPresent()) {
      writer.keyword("RETAIN LAST");
      writer.literal(Integer.toString(command.retainLast().getAsInt()));
    }
    if (command.dryRun()) {
      writer.keyword("DRY RUN");
    }
  }
}
