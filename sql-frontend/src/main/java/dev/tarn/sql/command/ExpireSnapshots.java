package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code EXPIRE SNAPSHOTS [OLDER THAN 'timestamp'] [RETAIN LAST n] [DRY RUN]}: the commits of each
 * branch and tag older than the timestamp, beyond its newest {@code n}, give up their files: those
 * no other kept commit refers to are deleted, and time travel to them ends.
 *
 * @param olderThan the timestamp as written (checked where it runs); empty for the server's default
 * @param retainLast how many newest commits of each reference stay whatever their age
 * @param dryRun list what would be deleted, delete nothing
 */
public record ExpireSnapshots(Optional<String> olderThan, OptionalInt retainLast, boolean dryRun)
    implements HousekeepingCommand {
  public ExpireSnapshots {
    Objects.requireNonNull(olderThan, "olderThan");
    Objects.requireNonNull(retainLast, "retainLast");
  }

  @Override
  public String statementName() {
    return "EXPIRE SNAPSHOTS";
  }
}
