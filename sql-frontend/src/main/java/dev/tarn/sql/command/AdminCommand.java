package dev.tarn.sql.command;

/**
 * Tarn's administration statements: audit records, query history, sessions and running statements
 * ({@code SHOW AUDIT}, {@code SHOW HISTORY}, {@code SHOW SESSIONS}, {@code SHOW QUERIES}, {@code
 * KILL QUERY}, {@code KILL SESSION}). The records live in {@code dev.tarn.sql.command.admin}.
 */
public interface AdminCommand extends TarnCommand {

  /** The statement written back as SQL that parses to an equal command. */
  String toSql();
}
