package dev.tarn.core.lakehouse;

import static dev.tarn.core.arrow.Columns.bigint;
import static dev.tarn.core.arrow.Columns.bool;
import static dev.tarn.core.arrow.Columns.schema;
import static dev.tarn.core.arrow.Columns.text;

import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.Housekeeping;
import dev.tarn.catalog.Retention;
import dev.tarn.core.TarnException;
import dev.tarn.core.access.AccessControl;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.sql.command.ExpireSnapshots;
import dev.tarn.sql.command.HousekeepingCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code VACUUM} and {@code EXPIRE SNAPSHOTS}: the catalog deletes the files no kept commit of any
 * branch or tag refers to ({@link BranchCatalog#removeUnreferencedFiles}). They act on the whole
 * lake, so they need ADMIN; each answers one row per file removed (or, with DRY RUN, that would be).
 */
final class Housekeeper {
  /** EXPIRE SNAPSHOTS without OLDER THAN expires commits older than this. */
  static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);

  static final Schema RESULT = schema(text("location"), bigint("bytes"), bool("removed"));

  private final BranchCatalog catalog;
  private final LakehouseViews views;
  private final AccessControl access;
  private final Clock clock;

  Housekeeper(BranchCatalog catalog, LakehouseViews views, AccessControl access, Clock clock) {
    this.catalog = catalog;
    this.views = views;
    this.access = access;
    this.clock = clock;
  }

  CommandResult execute(HousekeepingCommand command, String user) {
    access.requireAdmin(user, command.statementName());
    Housekeeping done = catalog.removeUnreferencedFiles(retention(command), command.dryRun());
    if (!command.dryRun() && !done.removed().isEmpty()) {
      views.forgetRemembered();
    }
    List<Object[]> rows = new ArrayList<>();
    for (Housekeeping.RemovedFile file : done.removed()) {
      rows.add(new Object[] {file.location(), file.bytes(), !command.dryRun()});
    }
    return new CommandResult(RESULT, rows);
  }

  private Retention retention(HousekeepingCommand command) {
    if (!(command instanceof ExpireSnapshots expire)) {
      return Retention.everyCommit();
    }
    Instant cutoff;
    try {
      cutoff = expire.olderThan().map(ReferenceCommands::parseTimestamp)
          .orElseGet(() -> clock.instant().minus(DEFAULT_EXPIRY));
    } catch (IllegalArgumentException e) {
      throw new TarnException(TarnException.Kind.INVALID_ARGUMENT, "EXPIRE SNAPSHOTS OLDER THAN: " + e.getMessage());
    }
    return new Retention(Optional.of(cutoff), expire.retainLast().orElse(1), Retention.DEFAULT_GRACE);
  }
}
