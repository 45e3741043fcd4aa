package dev.tarn.core.lakehouse;

import dev.tarn.executor.pipeline.PipelineRunner;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.audit.ProducedCommit;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.session.CurrentReference;
import dev.tarn.sql.command.access.Privilege;
import dev.tarn.catalog.ReadOnlyReferenceException;
import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.CommitInfo;
import dev.tarn.catalog.Conflict;
import dev.tarn.catalog.MergeOptions;
import dev.tarn.catalog.MergeResult;
import dev.tarn.catalog.Reference;
import dev.tarn.catalog.ReferenceAlreadyExistsException;
import dev.tarn.catalog.ReferenceNotFoundException;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableChange;
import dev.tarn.catalog.TableId;
import dev.tarn.sql.command.AssignBranch;
import dev.tarn.sql.command.CreateReference;
import dev.tarn.sql.command.DropReference;
import dev.tarn.sql.command.MergeBranch;
import dev.tarn.sql.command.ReferenceCommand;
import dev.tarn.sql.command.ReferenceSpec;
import dev.tarn.sql.command.ShowDiff;
import dev.tarn.sql.command.ShowLog;
import dev.tarn.sql.command.ShowReferences;
import dev.tarn.sql.command.ShowViews;
import dev.tarn.sql.command.UseReference;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.Locale;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Runs the branch and tag commands of Tarn's SQL (git for data) against the catalog. One method
 * per command; results are small row sets in the spec's column names.
 */
public final class ReferenceCommands {
  /** The name of Tarn's catalog in {@code ... IN catalog} suffixes (Dremio and Nessie-Spark style). */
  public static final String CATALOG_NAME = "tarn";
  private static final int DEFAULT_LOG_LIMIT = 100;

  private final BranchCatalog catalog;
  private final AccessControl access;
  private final HiddenBranches hidden;

  public ReferenceCommands(BranchCatalog catalog, AccessControl access) {
    this(catalog, access, HiddenBranches.NONE);
  }

  /** @param hidden branches SHOW BRANCHES and SHOW REFERENCES leave out unless ALL is said */
  public ReferenceCommands(BranchCatalog catalog, AccessControl access, HiddenBranches hidden) {
    this.catalog = catalog;
    this.access = access;
    this.hidden = hidden;
  }

  /** Commands that only read (SHOW ...), allowed inside a transaction. */
  public static boolean isReadOnly(ReferenceCommand command) {
    return command instanceof ShowReferences || command instanceof ShowLog || command instanceof ShowDiff
        || command instanceof ShowViews;
  }

  /** The schema of the rows a command returns; empty for commands that return none. */
  public static Schema resultSchema(ReferenceCommand command) {
    if (command instanceof ShowReferences) {
      return ResultSchemas.REFERENCES;
    } else if (command instanceof ShowLog) {
      return ResultSchemas.LOG;
    } else if (command instanceof ShowDiff) {
      return ResultSchemas.DIFF;
    } else if (command instanceof ShowViews) {
      return ResultSchemas.VIEWS;
    } else if (command instanceof MergeBranch m) {
      return m.dryRun() ? ResultSchemas.MERGE_DRY_RUN : ResultSchemas.MERGE;
    }
    return new Schema(List.of());
  }

  /**
   * Runs a command for a session.
   *
   * @param current the session's reference, which {@code USE} changes through {@code use}
   */
  public CommandResult execute(ReferenceCommand command, CurrentReference current, String user,
      java.util.function.Consumer<CurrentReference> use) {
    command.catalog().ifPresent(ReferenceCommands::checkCatalog);
    if (command instanceof CreateReference c) {
      return create(c, current, user);
    } else if (command instanceof DropReference d) {
      return drop(d, current, user);
    } else if (command instanceof UseReference u) {
      use.accept(useTarget(u.reference(), current, user));
      return CommandResult.none();
    } else if (command instanceof MergeBranch m) {
      return merge(m, current, user);
    } else if (command instanceof AssignBranch a) {
      return assign(a, current, user);
    } else if (command instanceof ShowReferences s) {
      return showReferences(s, user);
    } else if (command instanceof ShowLog l) {
      return showLog(l, current, user);
    } else if (command instanceof ShowDiff d) {
      return showDiff(d, current, user);
    } else if (command instanceof ShowViews v) {
      return showViews(v, current, user);
    }
    throw new IllegalArgumentException("unknown reference command " + command.statementName());
  }

  private static void checkCatalog(String named) {
    if (!named.equalsIgnoreCase(CATALOG_NAME)) {
      throw new ReferenceNotFoundException(named, "catalog " + named + " is not known here; this server's"
          + " catalog is " + CATALOG_NAME + " (IN " + CATALOG_NAME + " may be left out)");
    }
  }

  private CommandResult create(CreateReference c, CurrentReference current, String user) {
    visible(c.name(), current);
    if (c.type() == dev.tarn.sql.command.ReferenceType.BRANCH
        && c.name().startsWith(PipelineRunner.RUN_BRANCH_PREFIX)) {
      // kept run branches are hidden and dropped by name: a user's branch must never be taken for one
      throw new TarnException(Kind.INVALID_ARGUMENT, "'" + c.name() + "' is not a valid branch name: names"
          + " starting with " + PipelineRunner.RUN_BRANCH_PREFIX + " are reserved for the branches of pipeline runs");
    }
    access.require(user, Privilege.BRANCH, c.name(), typeWord(c.type()));
    At from = c.from().map(spec -> at(catalog, spec, current, current, readable(user))).orElse(current.at());
    access.requireRead(user, catalog.resolve(from));
    try {
      if (c.type() == dev.tarn.sql.command.ReferenceType.TAG) {
        catalog.createTag(c.name(), from);
      } else {
        catalog.createBranch(c.name(), from);
      }
    } catch (ReferenceAlreadyExistsException e) {
      if (!c.ifNotExists()) {
        throw e;
      }
    }
    return CommandResult.none();
  }

  private CommandResult drop(DropReference d, CurrentReference current, String user) {
    visible(d.name(), current);
    if (d.type() != dev.tarn.sql.command.ReferenceType.TAG) {
      access.refuseIfProtected(d.name());
    }
    access.require(user, Privilege.BRANCH, d.name(), typeWord(d.type()));
    try {
      if (d.type() == dev.tarn.sql.command.ReferenceType.TAG) {
        catalog.dropTag(d.name());
      } else {
        catalog.dropBranch(d.name());
      }
    } catch (ReferenceNotFoundException e) {
      if (!d.ifExists()) {
        throw e;
      }
    }
    return CommandResult.none();
  }

  /** Checks the reference exists (and the commit resolves) before the session moves to it. */
  private CurrentReference useTarget(ReferenceSpec spec, CurrentReference current, String user) {
    At at = at(catalog, spec, current, current, readable(user));
    ResolvedReference resolved = catalog.resolve(at);
    access.requireRead(user, resolved);
    String name = spec.hasName() ? spec.name() : current.name();
    if (spec.commitHash().isPresent() || spec.timestamp().isPresent()) {
      return new CurrentReference(name, Optional.of(resolved.hash()));
    }
    return CurrentReference.named(name);
  }

  private CommandResult merge(MergeBranch m, CurrentReference current, String user) {
    String target = visible(m.target().orElse(current.name()), current);
    visible(m.source(), current);
    if (m.target().isEmpty() && !catalog.resolve(current.at()).writable()) {
      throw new ReadOnlyReferenceException("the session is on " + current.describe()
          + ", which is read-only; name the target branch (MERGE BRANCH " + m.source() + " INTO main)"
          + " or USE BRANCH first");
    }
    // a dry run only compares: reading both sides is enough
    if (!m.dryRun()) {
      access.refuseIfRunBranch(target);
    }
    access.require(user, m.dryRun() ? Privilege.READ : Privilege.MERGE, target, "branch");
    access.requireRead(user, catalog.resolve(At.reference(m.source())));
    MergeOptions options = new MergeOptions(m.dryRun(),
        "MERGE BRANCH " + m.source() + " INTO " + target, user, null);
    MergeResult result = catalog.merge(At.reference(m.source()), target, options);
    if (!m.dryRun()) {
      ProducedCommit.noted(result.resultHash());
    }
    if (m.dryRun()) {
      return new CommandResult(ResultSchemas.MERGE_DRY_RUN, List.<Object[]>of(new Object[] {
          target, m.source(), !result.hasConflicts(), result.commonAncestor(), names(result.tablesChanged()),
          result.conflicts().stream().map(Conflict::table).sorted().toList(), tableOutcomes(result)}));
    }
    return new CommandResult(ResultSchemas.MERGE, List.<Object[]>of(new Object[] {
        target, result.resultHash(), names(result.tablesChanged())}));
  }

  /**
   * What the merge does to each table it brings, in the words of the merge rules: "table:
   * fast-forward" (only the source changed it), "table: union of appends" (both sides only appended)
   * or "table: conflict".
   */
  private static List<String> tableOutcomes(MergeResult result) {
    java.util.Set<String> conflicting = new java.util.HashSet<>();
    result.conflicts().forEach(c -> conflicting.add(c.table()));
    java.util.Set<String> unioned = new java.util.HashSet<>(names(result.appendsUnioned()));
    List<String> out = new ArrayList<>();
    for (String table : names(result.tablesChanged())) {
      out.add(table + ": " + (conflicting.contains(table) ? "conflict"
          : unioned.contains(table) ? "union of appends" : "fast-forward"));
    }
    return out;
  }

  private CommandResult assign(AssignBranch a, CurrentReference current, String user) {
    String branch = visible(a.branch(), current);
    At to = at(catalog, a.to(), current, current, readable(user));
    // moving a branch's head changes what it holds: a direct write
    access.requireDirectWrite(user, branch);
    access.requireRead(user, catalog.resolve(to));
    catalog.assignBranch(branch, to);
    return CommandResult.none();
  }

  private CommandResult showReferences(ShowReferences s, String user) {
    List<Object[]> rows = new ArrayList<>();
    List<Reference> references = catalog.listReferences();
    java.util.Set<String> left = s.all() ? java.util.Set.of() : hidden.among(references);
    for (Reference r : references) {
      if (Transactions.isTransactionBranch(r.name()) || left.contains(r.name())
          || !access.may(user, Privilege.READ, r.name())) {
        continue;
      }
      boolean wanted = s.type().isEmpty()
          || (s.type().get() == dev.tarn.sql.command.ReferenceType.TAG) == r.isTag();
      if (wanted) {
        rows.add(new Object[] {r.name(), r.type().word().toUpperCase(Locale.ROOT), r.hash(), r.committedAt()});
      }
    }
    return new CommandResult(ResultSchemas.REFERENCES, rows);
  }

  private CommandResult showLog(ShowLog l, CurrentReference current, String user) {
    At at = l.reference().map(name -> At.reference(visible(name, current))).orElse(current.at());
    access.requireRead(user, catalog.resolve(at));
    List<Object[]> rows = new ArrayList<>();
    for (CommitInfo c : catalog.log(at, l.limit().orElse(DEFAULT_LOG_LIMIT))) {
      rows.add(new Object[] {c.hash(), c.parentHash(), c.author(), c.committedAt(), c.message(),
          names(c.tablesChanged())});
    }
    return new CommandResult(ResultSchemas.LOG, rows);
  }

  private CommandResult showDiff(ShowDiff d, CurrentReference current, String user) {
    At against = d.against().map(name -> At.reference(visible(name, current))).orElse(current.at());
    visible(d.source(), current);
    access.requireRead(user, catalog.resolve(against));
    access.requireRead(user, catalog.resolve(At.reference(d.source())));
    List<Object[]> rows = new ArrayList<>();
    // Seen from the target: what the source would bring (added = only in source).
    for (TableChange change : catalog.diff(against, At.reference(d.source()))) {
      rows.add(new Object[] {change.table().toString(), change.kind().name().toLowerCase(Locale.ROOT)});
    }
    return new CommandResult(ResultSchemas.DIFF, rows);
  }

  private CommandResult showViews(ShowViews v, CurrentReference current, String user) {
    At at = v.reference().map(name -> At.reference(visible(name, current))).orElse(current.at());
    dev.tarn.catalog.ResolvedReference resolved = catalog.resolve(at);
    access.requireRead(user, resolved);
    List<Object[]> rows = new ArrayList<>();
    for (dev.tarn.catalog.ViewEntry view : catalog.listViews(TableResolver.pinned(resolved), null)) {
      rows.add(new Object[] {view.id().namespace(), view.id().name(), view.sql()});
    }
    return new CommandResult(ResultSchemas.VIEWS, rows);
  }

  private static String typeWord(dev.tarn.sql.command.ReferenceType type) {
    return type == dev.tarn.sql.command.ReferenceType.TAG ? "tag" : "branch";
  }

  private static List<String> names(List<TableId> tables) {
    return tables.stream().map(TableId::toString).sorted().toList();
  }

  /**
   * A reference as the SQL names it, for the catalog; an unnamed one means {@code base}. A commit
   * hash is looked for only on the references {@code session} may see, so a commit of another
   * session's open transaction is not found, exactly like a hash that names no commit.
   *
   * @param base the reference an unnamed spec means (the session's, or the branch a table name starts with)
   * @param session the session's own reference, which decides what it may see
   * @param readable the references whose histories the caller may read (READ privilege): a commit
   *     only other references hold is not found either
   */
  static At at(BranchCatalog catalog, ReferenceSpec spec, CurrentReference base, CurrentReference session,
      Predicate<String> readable) {
    String name = visible(spec.hasName() ? spec.name() : base.name(), session);
    if (spec.commitHash().isPresent()) {
      return At.commit(name, catalog.findCommit(spec.commitHash().get(),
          reference -> isVisible(reference, session) && readable.test(reference)));
    }
    if (spec.timestamp().isPresent()) {
      return At.timestamp(name, parseTimestamp(spec.timestamp().get()));
    }
    if (!spec.hasName()) {
      return base.at();
    }
    return switch (spec.type()) {
      case BRANCH -> At.branch(name);
      case TAG -> At.tag(name);
      case ANY -> At.reference(name);
    };
  }

  /** The references {@code user} may read, for commit lookups. */
  private Predicate<String> readable(String user) {
    return reference -> access.may(user, Privilege.READ, reference);
  }

  /**
   * A reference name a client wrote, unless it names another session's private transaction branch:
   * those exist for nobody else, as if they did not exist at all.
   */
  static String visible(String name, CurrentReference current) {
    if (!isVisible(name, current)) {
      throw ReferenceNotFoundException.of(name, null);
    }
    return name;
  }

  /** Whether a session on {@code current} may see the reference: any but another session's transaction branch. */
  static boolean isVisible(String name, CurrentReference current) {
    return !Transactions.isTransactionBranch(name) || name.equals(current.name());
  }

  /** '2026-11-20 10:00:00' (UTC), '2026-11-20T10:00:00Z', '2026-11-20T10:00:00+01:00' or a date. */
  static Instant parseTimestamp(String text) {
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t.replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException notLocal) {
        try {
          return java.time.LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notDate) {
          throw new IllegalArgumentException("cannot read the timestamp '" + text
              + "'; write it as '2026-11-20 10:00:00' (UTC) or with an offset, '2026-11-20T10:00:00+01:00'");
        }
      }
    }
  }
}
