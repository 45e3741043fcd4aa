package dev.tarn.core.review;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.MergeConflictException;
import dev.tarn.catalog.MergeOptions;
import dev.tarn.catalog.MergeResult;
import dev.tarn.catalog.Reference;
import dev.tarn.catalog.ReferenceConflictException;
import dev.tarn.catalog.ReferenceType;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.audit.ProducedCommit;
import dev.tarn.core.lakehouse.HiddenBranches;
import dev.tarn.core.lakehouse.Transactions;
import dev.tarn.core.pipeline.PipelineRunFailedException;
import dev.tarn.core.pipeline.Pipelines;
import dev.tarn.executor.pipeline.RunRecord;
import dev.tarn.sql.command.access.Privilege;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Merge requests: how changes made on a branch (by an agent, say) reach a protected branch only when
 * a person who holds MERGE on it agrees. Proposing needs READ on both branches and records the
 * source's head; approving needs MERGE on the target, merges exactly that recorded commit as one
 * commit, and changes nothing when the source moved since, when the project the request names fails
 * its run on the source, or when the target moved in a conflicting way. Kept per server, in its
 * access folder.
 */
public final class MergeRequests {
  public static final int MAX_TITLE_CHARS = 500;
  public static final int MAX_NOTE_CHARS = 2000;
  /** A proposer looping cannot fill the server's state: at most this many open requests per user. */
  public static final int MAX_OPEN_PER_USER = 100;

  private final BranchCatalog catalog;
  private final AccessControl access;
  private final HiddenBranches hidden;
  private final Pipelines pipelines;
  private final MergeRequestStore store;
  private final Clock clock;
  private final Map<Long, MergeRequest> requests = new LinkedHashMap<>();
  /** Requests an approval is working on: a second approval or a rejection waits its turn by failing. */
  private final Set<Long> deciding = new HashSet<>();
  private long nextId;

  private MergeRequests(BranchCatalog catalog, AccessControl access, HiddenBranches hidden, Pipelines pipelines,
      MergeRequestStore store, Clock clock) {
    this.catalog = catalog;
    this.access = access;
    this.hidden = hidden;
    this.pipelines = pipelines;
    this.store = store;
    this.clock = clock;
    MergeRequestStore.Stored stored = store.load();
    stored.requests().forEach(row -> requests.put(row.id(), row.request()));
    this.nextId = Math.max(stored.nextId(), requests.keySet().stream().mapToLong(id -> id + 1).max().orElse(1));
  }

  /** Requests kept in {@code folder} (the server's access folder). */
  public static MergeRequests in(Path folder, BranchCatalog catalog, AccessControl access, HiddenBranches hidden,
      Pipelines pipelines) {
    return new MergeRequests(catalog, access, hidden, pipelines, MergeRequestStore.in(folder), Clock.systemUTC());
  }

  public static MergeRequests inMemory(BranchCatalog catalog, AccessControl access, HiddenBranches hidden,
      Pipelines pipelines) {
    return new MergeRequests(catalog, access, hidden, pipelines, MergeRequestStore.inMemory(), Clock.systemUTC());
  }

  /**
   * Proposes merging {@code source}, at its head now, into {@code target}.
   *
   * @param title what the request is about; "merge source into target" when blank
   * @param project a project folder in the server's projects folder to run on the source before merging
   */
  public MergeRequest propose(String user, String source, String target, String title, Optional<String> project) {
    Reference from = branch(source, "the source");
    Reference into = branch(target, "the target");
    if (from.name().equals(into.name())) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a merge request merges one branch into another, and both are "
          + from.name());
    }
    access.requireRead(user, new ResolvedReference(from.name(), from.type(), from.hash(), true));
    access.requireRead(user, new ResolvedReference(into.name(), into.type(), into.hash(), true));
    String shownTitle = title == null || title.isBlank() ? "merge " + from.name() + " into " + into.name()
        : title.strip();
    if (shownTitle.length() > MAX_TITLE_CHARS) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a merge request's title has at most " + MAX_TITLE_CHARS
          + " characters, not " + shownTitle.length());
    }
    requirePlainText("a merge request's title", shownTitle);
    Optional<String> checked = project.map(String::strip).filter(p -> !p.isEmpty());
    checked.ifPresent(pipelines::requireProject);
    synchronized (this) {
      long open = requests.values().stream()
          .filter(r -> r.state() == MergeRequest.State.OPEN && r.author().equals(user)).count();
      if (open >= MAX_OPEN_PER_USER) {
        throw new TarnException(Kind.RESOURCE_EXHAUSTED, "user " + user + " has " + open + " open merge requests,"
            + " the most one user may have; wait for some to be decided");
      }
      MergeRequest request = MergeRequest.open(nextId, from.name(), from.hash(), into.name(), shownTitle, checked,
          user, clock.instant());
      requests.put(request.id(), request);
      nextId++;
      saveOrUndo(() -> {
        requests.remove(request.id());
        nextId--;
      });
      return request;
    }
  }

  /** The requests whose source and target {@code user} may read, oldest first. */
  public synchronized List<MergeRequest> visibleTo(String user) {
    return requests.values().stream()
        .filter(r -> access.may(user, Privilege.READ, r.source()) && access.may(user, Privilege.READ, r.target()))
        .toList();
  }

  /**
   * Approves request {@code id} as {@code user}: runs the project it names on the source (a dry run),
   * then merges the recorded source commit into the target as one commit. Changes nothing, and leaves
   * the request open with a note, when any step fails.
   */
  public MergeRequest approve(String user, long id) {
    MergeRequest request = startDeciding(user, id);
    try {
      if (request.project().isPresent()) {
        // the project runs code: as for RUN PIPELINE into the target, its holder of RUN decides to
        access.require(user, Privilege.RUN, request.target(), "branch");
      }
      requireUnmoved(request);
      request.project().ifPresent(project -> check(request, project, user));
      requireUnmoved(request);
      MergeResult result;
      try {
        result = catalog.merge(At.commit(request.source(), request.sourceHash()), request.target(),
            MergeOptions.asOneCommit("Merge request " + request.id() + ": " + request.title() + " ("
                + request.source() + " into " + request.target() + ")", user, null));
      } catch (MergeConflictException e) {
        throw notMerged(request, "branch " + request.target() + " changed the same tables since: "
            + e.getMessage() + ". Nothing was merged; bring the target's changes into " + request.source()
            + " and propose again");
      } catch (ReferenceConflictException e) {
        throw notMerged(request, "branch " + request.target() + " moved while merging (" + e.getMessage()
            + "); nothing was merged, approve again");
      }
      ProducedCommit.noted(result.resultHash());
      return decided(request.merged(user, clock.instant(), result.resultHash()));
    } finally {
      doneDeciding(id);
    }
  }

  /** Rejects request {@code id} as {@code user}, with an optional reason the proposer will read. */
  public MergeRequest reject(String user, long id, Optional<String> reason) {
    Optional<String> note = reason.map(String::strip).filter(r -> !r.isEmpty());
    if (note.isPresent() && note.get().length() > MAX_NOTE_CHARS) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a rejection's reason has at most " + MAX_NOTE_CHARS
          + " characters, not " + note.get().length());
    }
    note.ifPresent(text -> requirePlainText("a rejection's reason", text));
    MergeRequest request = startDeciding(user, id);
    try {
      return decided(request.rejected(user, clock.instant(), note));
    } finally {
      doneDeciding(id);
    }
  }

  /** The open request, once {@code user} may decide it and no other decision is under way. */
  private synchronized MergeRequest startDeciding(String user, long id) {
    MergeRequest request = requests.get(id);
    if (request == null || !access.may(user, Privilege.READ, request.target())
        || !access.may(user, Privilege.READ, request.source())) {
      throw new TarnException(Kind.NOT_FOUND, "no merge request " + id + " (SHOW MERGE REQUESTS lists those you"
          + " may read)");
    }
    access.refuseIfRunBranch(request.target());
    access.require(user, Privilege.MERGE, request.target(), "branch");
    if (request.state() != MergeRequest.State.OPEN) {
      throw new TarnException(Kind.INVALID_ARGUMENT, request.describe() + " is already "
          + request.state().name().toLowerCase(java.util.Locale.ROOT)
          + request.decidedBy().map(by -> " by " + by).orElse(""));
    }
    if (!deciding.add(id)) {
      throw new TarnException(Kind.INVALID_ARGUMENT, request.describe() + " is being decided right now by"
          + " another statement; SHOW MERGE REQUESTS shows the outcome");
    }
    return request;
  }

  private synchronized void doneDeciding(long id) {
    deciding.remove(id);
  }

  private synchronized MergeRequest decided(MergeRequest request) {
    MergeRequest before = requests.put(request.id(), request);
    saveOrUndo(() -> requests.put(before.id(), before));
    return request;
  }

  /** Refuses when the source is no longer at the commit that was proposed: approve what was reviewed. */
  private void requireUnmoved(MergeRequest request) {
    String now = catalog.findReference(request.source()).map(Reference::hash).orElse(null);
    if (now == null) {
      throw notMerged(request, "branch " + request.source() + " no longer exists; nothing was merged");
    }
    if (!now.equals(request.sourceHash())) {
      throw notMerged(request, "branch " + request.source() + " moved since it was proposed (from commit "
          + shortHash(request.sourceHash()) + " to " + shortHash(now) + "); nothing was merged: review the new"
          + " commits and propose again");
    }
  }

  /**
   * Runs the request's project on the source; a failed model or expectation refuses the approval, and
   * so does a run that read any commit but the proposed one. The source is checked unmoved before and
   * after the run, but its owner could point it at passing data just as the run starts and back at the
   * proposed commit before the second look: only the commit the run itself read tells.
   */
  private void check(MergeRequest request, String project, String user) {
    RunRecord run;
    try {
      run = pipelines.checkRun(project, request.source(), user);
    } catch (PipelineRunFailedException e) {
      throw notMerged(request, "the project " + project + " failed on branch " + request.source() + ": "
          + e.getMessage());
    }
    if (!request.sourceHash().equals(run.targetHashBefore())) {
      throw notMerged(request, "branch " + request.source() + " moved while the project " + project + " ran on it"
          + " (run " + run.id() + " read commit " + shortHash(String.valueOf(run.targetHashBefore()))
          + ", the request is for " + shortHash(request.sourceHash()) + "); nothing was merged: approve again"
          + " once the branch stays at the proposed commit");
    }
  }

  /** Notes why the approval did not merge (the request stays open) and returns the error to throw. */
  private TarnException notMerged(MergeRequest request, String why) {
    String note = why.length() > MAX_NOTE_CHARS ? why.substring(0, MAX_NOTE_CHARS - 1) + "…" : why;
    synchronized (this) {
      MergeRequest current = requests.get(request.id());
      requests.put(request.id(), current.noted("not approved: " + note));
      saveOrUndo(() -> requests.put(current.id(), current));
    }
    return new TarnException(Kind.INVALID_ARGUMENT, request.describe() + " was not approved: " + why);
  }

  /**
   * Refuses control and invisible formatting characters (line breaks, bidirectional overrides): a
   * reviewer must read in a terminal exactly what the proposer wrote.
   */
  private static void requirePlainText(String what, String text) {
    if (text.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
      throw new TarnException(Kind.INVALID_ARGUMENT, what + " holds a control or invisible character (a line break,"
          + " a direction override); write it as one line of plain text");
    }
  }

  private Reference branch(String name, String role) {
    String wanted = name == null ? "" : name.strip();
    Reference reference = catalog.findReference(wanted)
        .filter(r -> !Transactions.isTransactionBranch(r.name()) && hidden.among(List.of(r)).isEmpty())
        .orElseThrow(() -> new TarnException(Kind.NOT_FOUND, "branch " + wanted + " (" + role
            + " of the merge request) does not exist"));
    if (reference.type() != ReferenceType.BRANCH) {
      throw new TarnException(Kind.INVALID_ARGUMENT, reference.name() + " is a tag: " + role
          + " of a merge request is a branch");
    }
    return reference;
  }

  /** Writes the requests; when that fails, {@code undo} puts memory back as the file still has it. */
  private void saveOrUndo(Runnable undo) {
    try {
      store.save(nextId, new ArrayList<>(requests.values()));
    } catch (RuntimeException e) {
      undo.run();
      throw e;
    }
  }

  static String shortHash(String hash) {
    return hash.substring(0, Math.min(12, hash.length()));
  }
}
