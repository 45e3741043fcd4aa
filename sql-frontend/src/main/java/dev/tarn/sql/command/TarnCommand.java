package dev.tarn.sql.command;

/**
 * Tarn's own statements (branch and tag commands, pipelines), parsed into immutable values.
 * Execution lives elsewhere: one executor per command family ({@link ReferenceCommand},
 * {@link PipelineCommand}, {@link AdminCommand}).
 */
public sealed interface TarnCommand permits ReferenceCommand, PipelineCommand, AdminCommand {

  /** The statement's name as users write it, for messages: "CREATE BRANCH", "MERGE BRANCH"... */
  String statementName();
}
