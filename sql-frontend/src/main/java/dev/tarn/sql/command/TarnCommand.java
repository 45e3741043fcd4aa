package dev.tarn.sql.command;

/**
 * Tarn's own statements (branch and tag commands, pipelines), parsed into immutable values.
 * Execution lives elsewhere: one executor per command family ({@link ReferenceCommand},
 * {@link PipelineCommand}, and the families in sub-packages such as {@code access}). Not sealed: a
 * sealed interface may only permit types of its own package here, and families live in their own.
 */
public interface TarnCommand {

  /** The statement's name as users write it, for messages: "CREATE BRANCH", "MERGE BRANCH"... */
  String statementName();
}
