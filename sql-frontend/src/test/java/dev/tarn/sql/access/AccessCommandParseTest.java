package dev.tarn.sql.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.SqlFrontend;
import dev.tarn.sql.SqlSyntaxException;
import dev.tarn.sql.StatementKind;
import dev.tarn.sql.TarnSqlFrontend;
import dev.tarn.sql.command.access.AlterUserPassword;
import dev.tarn.sql.command.access.CreateRole;
import dev.tarn.sql.command.access.CreateToken;
import dev.tarn.sql.command.access.CreateUser;
import dev.tarn.sql.command.access.DropRole;
import dev.tarn.sql.command.access.DropToken;
import dev.tarn.sql.command.access.DropUser;
import dev.tarn.sql.command.access.GrantPrivilege;
import dev.tarn.sql.command.access.GrantRole;
import dev.tarn.sql.command.access.Grantee;
import dev.tarn.sql.command.access.Privilege;
import dev.tarn.sql.command.access.ProtectBranch;
import dev.tarn.sql.command.access.RevokePrivilege;
import dev.tarn.sql.command.access.RevokeRole;
import dev.tarn.sql.command.access.ShowGrants;
import dev.tarn.sql.command.access.ShowTokens;
import dev.tarn.sql.command.access.ShowUsers;
import dev.tarn.sql.command.TarnCommand;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One parse test per access statement form. */
class AccessCommandParseTest {
  private static final SqlFrontend FRONTEND = new TarnSqlFrontend();

  static Stream<Arguments> statements() {
    return Stream.of(
        Arguments.of("CREATE USER ana PASSWORD 's3cret-pass'", new CreateUser("ana", "s3cret-pass", Optional.empty())),
        Arguments.of("create user \"Ana Lopez\" password 'x''y' in role analysts",
            new CreateUser("Ana Lopez", "x'y", Optional.of("analysts"))),
        Arguments.of("DROP USER ana", new DropUser("ana", false)),
        Arguments.of("DROP USER IF EXISTS ana", new DropUser("ana", true)),
        Arguments.of("ALTER USER ana PASSWORD 'another-one'", new AlterUserPassword("ana", "another-one")),
        Arguments.of("CREATE ROLE analysts", new CreateRole("analysts")),
        Arguments.of("DROP ROLE IF EXISTS analysts", new DropRole("analysts", true)),
        Arguments.of("GRANT ROLE analysts TO USER ana", new GrantRole("analysts", "ana")),
        Arguments.of("REVOKE ROLE analysts FROM USER ana", new RevokeRole("analysts", "ana")),
        Arguments.of("CREATE TOKEN ci FOR USER ana", new CreateToken("ci", "ana", Optional.empty())),
        Arguments.of("create token ci for user ana expires in '30 days'",
            new CreateToken("ci", "ana", Optional.of("30 days"))),
        Arguments.of("DROP TOKEN ci", new DropToken("ci", false)),
        Arguments.of("DROP TOKEN IF EXISTS ci", new DropToken("ci", true)),
        Arguments.of("SHOW TOKENS", new ShowTokens()),
        Arguments.of("SHOW USERS", new ShowUsers()),
        Arguments.of("GRANT READ ON BRANCH 'dev_*' TO USER ana",
            new GrantPrivilege(Privilege.READ, Optional.of("dev_*"), Grantee.user("ana"))),
        Arguments.of("grant merge on all branches to role maintainers",
            new GrantPrivilege(Privilege.MERGE, Optional.empty(), Grantee.role("maintainers"))),
        Arguments.of("GRANT WRITE ON BRANCH 'main' TO ROLE writers",
            new GrantPrivilege(Privilege.WRITE, Optional.of("main"), Grantee.role("writers"))),
        Arguments.of("GRANT BRANCH ON BRANCH 'x_*' TO USER ana",
            new GrantPrivilege(Privilege.BRANCH, Optional.of("x_*"), Grantee.user("ana"))),
        Arguments.of("GRANT RUN ON ALL BRANCHES TO USER ana",
            new GrantPrivilege(Privilege.RUN, Optional.empty(), Grantee.user("ana"))),
        Arguments.of("GRANT ADMIN ON ALL BRANCHES TO USER boss",
            new GrantPrivilege(Privilege.ADMIN, Optional.empty(), Grantee.user("boss"))),
        Arguments.of("REVOKE READ ON BRANCH 'dev_*' FROM USER ana",
            new RevokePrivilege(Privilege.READ, Optional.of("dev_*"), Grantee.user("ana"))),
        Arguments.of("SHOW GRANTS", new ShowGrants(Optional.empty())),
        Arguments.of("SHOW GRANTS FOR ROLE analysts", new ShowGrants(Optional.of(Grantee.role("analysts")))),
        Arguments.of("SHOW GRANTS FOR USER ana;", new ShowGrants(Optional.of(Grantee.user("ana")))),
        Arguments.of("PROTECT BRANCH main", new ProtectBranch("main", true)),
        Arguments.of("unprotect branch main", new ProtectBranch("main", false)));
  }

  @ParameterizedTest
  @MethodSource("statements")
  void parses(String sql, TarnCommand expected) {
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertEquals(StatementKind.TARN_COMMAND, parsed.kind());
    assertEquals(expected, parsed.command().orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GRANT SELECT ON BRANCH 'main' TO USER ana",
      "GRANT READ ON 'main' TO USER ana",
      "GRANT READ ON BRANCH main TO USER ana",
      "CREATE USER ana",
      "CREATE TOKEN ci FOR ana",
      "REVOKE READ ON ALL BRANCHES TO USER ana"})
  void malformedStatementsGetASyntaxError(String sql) {
    assertThrows(SqlSyntaxException.class, () -> FRONTEND.parse(sql));
  }

  @Test
  void aPasswordNeverShowsInTheRedactedText() {
    CreateUser create = (CreateUser) FRONTEND.parse("CREATE USER ana PASSWORD 'hunter2-long'").command().orElseThrow();
    assertFalse(create.redacted().contains("hunter2"));
    assertFalse(create.toString().contains("hunter2"));
    AlterUserPassword alter = (AlterUserPassword) FRONTEND.parse("ALTER USER ana PASSWORD 'hunter2-long'")
        .command().orElseThrow();
    assertFalse(alter.redacted().contains("hunter2"));
  }

  @Test
  void theNewWordsStayUsableAsColumnNames() {
    ParsedStatement parsed = FRONTEND.parse("SELECT password, token, tokens, grants, users, roles, expires FROM t");
    assertEquals(StatementKind.QUERY, parsed.kind());
  }
}
