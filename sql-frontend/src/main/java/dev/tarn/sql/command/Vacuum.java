package dev.tarn.sql.command;

/**
 * {@code VACUUM [DRY RUN]}: delete the files under the warehouse that no commit of any branch or tag
 * refers to (and that are older than the grace period); a dry run lists them and deletes nothing.
 */
public record Vacuum(boolean dryRun) implements HousekeepingCommand {
  @Override
  public String statementName() {
    return "VACUUM";
  }
}
