package dev.tarn.core.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.core.TarnException;
import dev.tarn.core.lakehouse.CommandResult;
import dev.tarn.sql.SqlFrontend;
import dev.tarn.sql.TarnSqlFrontend;
import dev.tarn.sql.command.access.AccessCommand;
import dev.tarn.sql.command.access.Privilege;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Privilege resolution and the access statements, without a server. */
class AccessControlTest {
  private static final SqlFrontend SQL = new TarnSqlFrontend();

  private static CommandResult run(AccessControl access, String caller, String statement) {
    return new AccessCommands(access).execute((AccessCommand) SQL.parse(statement).command().orElseThrow(), caller);
  }

  private static AccessControl withTeam() {
    AccessControl access = AccessControl.enforcing("root", AccessStore.inMemory());
    run(access, "root", "CREATE ROLE devs");
    run(access, "root", "CREATE USER ana PASSWORD 'ana-password' IN ROLE devs");
    run(access, "root", "CREATE USER bo PASSWORD 'bo-password'");
    run(access, "root", "GRANT READ ON BRANCH 'dev_*' TO ROLE devs");
    run(access, "root", "GRANT WRITE ON BRANCH 'dev_*' TO ROLE devs");
    run(access, "root", "GRANT MERGE ON BRANCH 'main' TO USER bo");
    return access;
  }

  @Test
  void privilegesComeFromTheUserAndTheirRolesOnMatchingReferences() {
    AccessControl access = withTeam();
    assertTrue(access.may("ana", Privilege.READ, "dev_x"));
    assertTrue(access.may("ana", Privilege.WRITE, "dev_x"));
    assertFalse(access.may("ana", Privilege.READ, "main"));
    assertFalse(access.may("ana", Privilege.MERGE, "dev_x"), "only ADMIN implies other privileges");
    assertTrue(access.may("bo", Privilege.MERGE, "main"));
    assertFalse(access.may("bo", Privilege.READ, "main"));
    assertFalse(access.may("nobody", Privilege.READ, "dev_x"));
    assertTrue(access.may("root", Privilege.RUN, "anything"), "the bootstrap admin holds everything");
  }

  @Test
  void adminOnAllBranchesImpliesEverythingAndManagesUsers() {
    AccessControl access = withTeam();
    assertFalse(access.isAdmin("ana"));
    run(access, "root", "GRANT ADMIN ON BRANCH 'dev_*' TO USER ana");
    assertTrue(access.may("ana", Privilege.RUN, "dev_y"));
    assertFalse(access.isAdmin("ana"), "ADMIN on a pattern is not ADMIN on everything");
    run(access, "root", "GRANT ADMIN ON ALL BRANCHES TO USER ana");
    assertTrue(access.isAdmin("ana"));
    run(access, "ana", "CREATE ROLE analysts");
  }

  @Test
  void aRefusalNamesTheUserThePrivilegeAndTheReference() {
    AccessControl access = withTeam();
    TarnException e = assertThrows(TarnException.class,
        () -> access.require("ana", Privilege.WRITE, "main", "branch"));
    assertEquals(TarnException.Kind.PERMISSION_DENIED, e.kind());
    assertEquals("user ana lacks WRITE on branch main", e.getMessage());
    TarnException notAdmin = assertThrows(TarnException.class, () -> run(access, "ana", "CREATE USER x PASSWORD 'long-enough'"));
    assertTrue(notAdmin.getMessage().startsWith("user ana lacks ADMIN"), notAdmin.getMessage());
  }

  @Test
  void revokingAGrantOrDroppingARoleCountsAtTheNextCheck() {
    AccessControl access = withTeam();
    run(access, "root", "REVOKE WRITE ON BRANCH 'dev_*' FROM ROLE devs");
    assertFalse(access.may("ana", Privilege.WRITE, "dev_x"));
    assertTrue(access.may("ana", Privilege.READ, "dev_x"));
    run(access, "root", "DROP ROLE devs");
    assertFalse(access.may("ana", Privilege.READ, "dev_x"));
    TarnException e = assertThrows(TarnException.class, () -> run(access, "root", "REVOKE READ ON ALL BRANCHES FROM USER bo"));
    assertTrue(e.getMessage().contains("holds no READ ON ALL BRANCHES"), e.getMessage());
  }

  @Test
  void protectedBranchesTakeNoDirectWritesEvenFromAdmins() {
    AccessControl access = withTeam();
    run(access, "root", "PROTECT BRANCH main");
    TarnException e = assertThrows(TarnException.class, () -> access.requireDirectWrite("root", "main"));
    assertTrue(e.getMessage().contains("branch main is protected"), e.getMessage());
    access.requireDirectWrite("root", "dev_x");
    run(access, "root", "UNPROTECT BRANCH main");
    access.requireDirectWrite("root", "main");
  }

  @Test
  void anOpenServerAllowsEverythingButStillHonoursProtection() {
    AccessControl open = AccessControl.open();
    assertTrue(open.may("anonymous", Privilege.ADMIN, "main"));
    run(open, "anonymous", "PROTECT BRANCH main");
    assertThrows(TarnException.class, () -> open.requireDirectWrite("anonymous", "main"));
  }

  @Test
  void passwordsAreHashedAndChecked() {
    AccessControl access = withTeam();
    assertTrue(access.checkPassword("ana", "ana-password"));
    assertFalse(access.checkPassword("ana", "ana-passworD"));
    assertFalse(access.checkPassword("ghost", "ana-password"));
    assertFalse(access.state().users().get("ana").passwordHash().contains("ana-password"));
    run(access, "ana", "ALTER USER ana PASSWORD 'a-new-password'");
    assertTrue(access.checkPassword("ana", "a-new-password"));
    assertThrows(TarnException.class, () -> run(access, "ana", "ALTER USER bo PASSWORD 'hijacked-pass'"));
    assertTrue(assertThrows(TarnException.class, () -> run(access, "root", "CREATE USER c PASSWORD 'short'"))
        .getMessage().contains("at least 8"));
    assertTrue(assertThrows(TarnException.class,
        () -> run(access, "root", "CREATE USER c PASSWORD '" + "é".repeat(40) + "'")).getMessage().contains("72 bytes"));
    assertTrue(assertThrows(TarnException.class, () -> run(access, "root", "DROP USER root")).getMessage()
        .contains("cannot be dropped"));
  }

  @Test
  void tokensAreShownOnceStoredHashedAndGoWithTheirUser() {
    AccessControl access = withTeam();
    CommandResult created = run(access, "ana", "CREATE TOKEN ci FOR USER ana EXPIRES IN '30 days'");
    String secret = (String) created.rows().get(0)[2];
    assertTrue(secret.startsWith(ApiTokens.PREFIX));
    assertEquals("ana", access.userOfToken(secret).orElseThrow());
    assertFalse(access.state().tokens().toString().contains(secret), "only the hash is kept");
    CommandResult shown = run(access, "ana", "SHOW TOKENS");
    assertEquals(1, shown.rows().size());
    for (Object cell : shown.rows().get(0)) {
      assertFalse(String.valueOf(cell).contains(secret));
    }
    assertThrows(TarnException.class, () -> run(access, "ana", "CREATE TOKEN other FOR USER bo"));
    assertTrue(access.userOfToken(secret + "x").isEmpty());
    run(access, "root", "DROP USER ana");
    assertTrue(access.userOfToken(secret).isEmpty(), "a dropped user's tokens stop working");
    assertTrue(assertThrows(TarnException.class,
        () -> run(access, "root", "CREATE TOKEN t FOR USER bo EXPIRES IN 'soon'")).getMessage().contains("30 days"));
  }

  @Test
  void theStateSurvivesARestartAndIsWrittenWhole(@TempDir Path folder) throws Exception {
    AccessControl first = AccessControl.enforcing("root", AccessStore.in(folder));
    run(first, "root", "CREATE USER ana PASSWORD 'ana-password'");
    run(first, "root", "GRANT READ ON BRANCH 'dev_*' TO USER ana");
    run(first, "root", "PROTECT BRANCH main");
    String secret = (String) run(first, "root", "CREATE TOKEN ci FOR USER ana").rows().get(0)[2];
    assertFalse(Files.exists(folder.resolve(AccessStore.FILE_NAME + ".tmp")));
    assertFalse(Files.readString(folder.resolve(AccessStore.FILE_NAME)).contains("ana-password"));

    AccessControl second = AccessControl.enforcing("root", AccessStore.in(folder));
    assertTrue(second.may("ana", Privilege.READ, "dev_1"));
    assertTrue(second.checkPassword("ana", "ana-password"));
    assertTrue(second.isProtected("main"));
    assertEquals("ana", second.userOfToken(secret).orElseThrow());
  }
}
