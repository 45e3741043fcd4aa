package dev.tarn.sql.command;

/**
 * Statements that delete files no kept commit of any branch or tag needs: {@link Vacuum} and
 * {@link ExpireSnapshots}. They act on the whole lake, not on one reference.
 */
public sealed interface HousekeepingCommand extends TarnCommand permits Vacuum, ExpireSnapshots {

  /** Whether to list what would be deleted, deleting nothing. */
  boolean dryRun();
}
