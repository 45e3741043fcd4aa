package dev.tarn.sql.command.access;

import dev.tarn.sql.command.TarnCommand;

/** An access statement: users, roles, tokens, grants and branch protection. */
public sealed interface AccessCommand extends TarnCommand
    permits CreateUser, DropUser, AlterUserPassword, CreateRole, DropRole, GrantRole, RevokeRole, CreateToken,
        DropToken, ShowTokens, ShowUsers, GrantPrivilege, RevokePrivilege, ShowGrants, ProtectBranch {

  /**
   * The statement as it may be written to logs and records: a password it carries is masked.
   * Callers that keep statement texts (audit, history) should keep this instead of the text sent.
   */
  default String redacted() {
    return statementName();
  }
}
