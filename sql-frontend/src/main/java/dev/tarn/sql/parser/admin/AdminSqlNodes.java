package dev.tarn.sql.parser.admin;

import dev.tarn.sql.command.admin.KillQuery;
import dev.tarn.sql.command.admin.KillSession;
import dev.tarn.sql.command.admin.ShowAudit;
import dev.tarn.sql.command.admin.ShowHistory;
import dev.tarn.sql.command.admin.ShowQueries;
import dev.tarn.sql.command.admin.ShowSessions;
import dev.tarn.sql.parser.ddl.TarnSqlNodes;
import java.math.BigDecimal;
import java.util.OptionalInt;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Builds the administration statements' parse trees for the grammar rules in {@code adminCommands.ftl}. */
public final class AdminSqlNodes {
  private AdminSqlNodes() {}

  public static SqlNode showAudit(SqlParserPos pos, @Nullable SqlNumericLiteral limit) {
    return new SqlAdminStatement(pos, new ShowAudit(limit("SHOW AUDIT", limit)));
  }

  public static SqlNode showHistory(SqlParserPos pos, @Nullable SqlNumericLiteral limit) {
    return new SqlAdminStatement(pos, new ShowHistory(limit("SHOW HISTORY", limit)));
  }

  public static SqlNode showSessions(SqlParserPos pos) {
    return new SqlAdminStatement(pos, new ShowSessions());
  }

  public static SqlNode showQueries(SqlParserPos pos) {
    return new SqlAdminStatement(pos, new ShowQueries());
  }

  public static SqlNode killQuery(SqlParserPos pos, String id) {
    return new SqlAdminStatement(pos, new KillQuery(id));
  }

  public static SqlNode killSession(SqlParserPos pos, String id) {
    return new SqlAdminStatement(pos, new KillSession(id));
  }

  private static OptionalInt limit(String statement, @Nullable SqlNumericLiteral limit) {
    if (limit == null) {
      return OptionalInt.empty();
    }
    if (!limit.isInteger() || limit.bigDecimalValue().signum() <= 0
        || limit.bigDecimalValue().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw TarnSqlNodes.error(limit.getParserPosition(), statement + " LIMIT must be a positive integer of at most "
          + Integer.MAX_VALUE);
    }
    return OptionalInt.of(limit.intValue(true));
  }
}
