package dev.tarn.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An executable reference model of Tarn's git for data: what every reference holds after each
 * operation, with nothing about files on disk, engines or servers. It is small on purpose, so that
 * the rules can be read in one sitting and compared with what a real server does.
 *
 * <p>A lake is commits (each with its parents and the state of every table) and references (branches
 * and tags, each pointing at a commit). A table's state is its identity (a drop and re-create makes a
 * new one), its schema version and its data files; a data file is written once and holds rows. Every
 * write is one new commit on a branch; a tag never moves. A refused operation changes nothing.
 *
 * <p>Merges follow Tarn's rule (README, "Merge rules"): per table, compared at the common ancestor A,
 * the source S and the target T: unchanged on the source keeps T; changed only on the source takes
 * S; changed to the same state keeps it; changed on both sides by appends only (same identity, same
 * schema, every file of A still on both sides) becomes T plus the files S added; anything else is a
 * conflict and the whole merge is refused.
 *
 * <p>Not thread-safe; {@link #copy()} gives an independent lake, so that several orders of
 * concurrent operations can be tried.
 */
public final class Lake {

  /** A data file: written once, never changed. */
  public record DataFile(int id, List<Long> rows) {
    public DataFile {
      rows = List.copyOf(rows);
    }
  }

  /**
   * A table at one commit. {@code version} names this exact state (a metadata file): every change
   * makes a new one, so two commits share a version only when the table did not change between them.
   */
  public record TableState(int version, int identity, int schema, List<DataFile> files) {
    public TableState {
      files = List.copyOf(files);
    }

    /** The rows, sorted: what a query returns. */
    public List<Long> rows() {
      List<Long> rows = new ArrayList<>();
      files.forEach(f -> rows.addAll(f.rows()));
      Collections.sort(rows);
      return rows;
    }

    Set<Integer> fileIds() {
      Set<Integer> ids = new HashSet<>();
      files.forEach(f -> ids.add(f.id()));
      return ids;
    }
  }

  /** A commit: its parents (the first is the branch's previous head; a merge adds its source's). */
  public record Commit(int id, List<Integer> parents, Map<String, TableState> tables) {
    public Commit {
      parents = List.copyOf(parents);
      tables = Collections.unmodifiableMap(new TreeMap<>(tables));
    }
  }

  public enum Kind { BRANCH, TAG }

  public record Ref(Kind kind, int commit) {}

  /** Why an operation changed nothing. */
  public enum Refusal { NOT_FOUND, ALREADY_EXISTS, READ_ONLY, CONFLICT, NOTHING_TO_DO }

  /** What an operation did: applied (possibly with no commit), or refused for a reason. */
  public record Outcome(boolean applied, Refusal refusal) {
    static final Outcome APPLIED = new Outcome(true, null);

    static Outcome refused(Refusal why) {
      return new Outcome(false, why);
    }
  }

  /** One step of a transaction or a pipeline run: a write on the branch it works on. */
  @FunctionalInterface
  public interface Write {
    Outcome on(Lake lake, String branch);
  }

  private final Map<Integer, Commit> commits = new LinkedHashMap<>();
  private final Map<String, Ref> refs = new TreeMap<>();
  /** Table versions whose files housekeeping removed: a merge cannot compare against them. */
  private final Set<Integer> expiredVersions = new HashSet<>();
  private int nextCommit;
  private int nextFile;
  private int nextIdentity;
  private int nextVersion;

  /** A lake with one branch, main, at an empty root commit. */
  public Lake() {
    commit(List.of(), Map.of());
    refs.put("main", new Ref(Kind.BRANCH, 0));
  }

  private Lake(Lake other) {
    commits.putAll(other.commits);
    refs.putAll(other.refs);
    expiredVersions.addAll(other.expiredVersions);
    nextCommit = other.nextCommit;
    nextFile = other.nextFile;
    nextIdentity = other.nextIdentity;
    nextVersion = other.nextVersion;
  }

  public Lake copy() {
    return new Lake(this);
  }

  // ---- reading ----

  public Map<String, Ref> refs() {
    return Collections.unmodifiableMap(refs);
  }

  public Commit commit(int id) {
    return commits.get(id);
  }

  /** The tables at a reference's head, by name. */
  public Map<String, TableState> tables(String ref) {
    Ref r = refs.get(ref);
    return r == null ? Map.of() : commits.get(r.commit()).tables();
  }

  /** Every reference's tables, as rows: what the lake looks like from outside. */
  public Map<String, Map<String, List<Long>>> contents() {
    Map<String, Map<String, List<Long>>> out = new TreeMap<>();
    for (String ref : refs.keySet()) {
      Map<String, List<Long>> tables = new TreeMap<>();
      tables(ref).forEach((name, state) -> tables.put(name, state.rows()));
      out.put(ref, tables);
    }
    return out;
  }

  // ---- references ----

  public Outcome createBranch(String name, String from) {
    return createRef(name, from, Kind.BRANCH);
  }

  public Outcome createTag(String name, String from) {
    return createRef(name, from, Kind.TAG);
  }

  private Outcome createRef(String name, String from, Kind kind) {
    if (!refs.containsKey(from)) {
      return Outcome.refused(Refusal.NOT_FOUND);
    }
    if (refs.containsKey(name)) {
      return Outcome.refused(Refusal.ALREADY_EXISTS);
    }
    refs.put(name, new Ref(kind, refs.get(from).commit()));
    return Outcome.APPLIED;
  }

  /** {@code ALTER BRANCH branch ASSIGN TO ref}: the branch now holds what {@code to} holds. */
  public Outcome assign(String branch, String to) {
    Ref b = refs.get(branch);
    if (b == null || !refs.containsKey(to)) {
      return Outcome.refused(Refusal.NOT_FOUND);
    }
    if (b.kind() == Kind.TAG) {
      return Outcome.refused(Refusal.READ_ONLY);
    }
    refs.put(branch, new Ref(Kind.BRANCH, refs.get(to).commit()));
    return Outcome.APPLIED;
  }

  // ---- writes: one commit each on a branch ----

  public Outcome createTable(String branch, String table) {
    return write(branch, tables -> {
      if (tables.containsKey(table)) {
        return Outcome.refused(Refusal.ALREADY_EXISTS);
      }
      tables.put(table, new TableState(nextVersion++, nextIdentity++, 0, List.of()));
      return Outcome.APPLIED;
    });
  }

  public Outcome dropTable(String branch, String table) {
    return write(branch, tables -> tables.remove(table) == null ? Outcome.refused(Refusal.NOT_FOUND) : Outcome.APPLIED);
  }

  /** {@code INSERT}: one new data file. */
  public Outcome insert(String branch, String table, List<Long> rows) {
    return change(branch, table, t -> {
      List<DataFile> files = new ArrayList<>(t.files());
      files.add(new DataFile(nextFile++, rows));
      return files;
    });
  }

  /** {@code DELETE WHERE k < below}: copy-on-write of the files holding such rows. */
  public Outcome deleteBelow(String branch, String table, long below) {
    return change(branch, table, t -> {
      List<DataFile> files = new ArrayList<>();
      boolean touched = false;
      for (DataFile f : t.files()) {
        List<Long> kept = f.rows().stream().filter(k -> k >= below).toList();
        if (kept.size() == f.rows().size()) {
          files.add(f);
          continue;
        }
        touched = true;
        if (!kept.isEmpty()) {
          files.add(new DataFile(nextFile++, kept));
        }
      }
      return touched ? files : null;
    });
  }

  /** {@code OPTIMIZE TABLE}: two or more files become one with the same rows; fewer: nothing to do. */
  public Outcome optimize(String branch, String table) {
    return change(branch, table, t -> {
      if (t.files().size() < 2) {
        return null;
      }
      return List.of(new DataFile(nextFile++, t.rows()));
    });
  }

  /** {@code ALTER TABLE ... ADD COLUMN}: a schema change. */
  public Outcome addColumn(String branch, String table) {
    return write(branch, tables -> {
      TableState t = tables.get(table);
      if (t == null) {
        return Outcome.refused(Refusal.NOT_FOUND);
      }
      tables.put(table, new TableState(nextVersion++, t.identity(), t.schema() + 1, t.files()));
      return Outcome.APPLIED;
    });
  }

  /** A change to one table's files; {@code files} answers null when there is nothing to change. */
  private Outcome change(String branch, String table, Function<TableState, List<DataFile>> files) {
    return write(branch, tables -> {
      TableState t = tables.get(table);
      if (t == null) {
        return Outcome.refused(Refusal.NOT_FOUND);
      }
      List<DataFile> changed = files.apply(t);
      if (changed == null) {
        return Outcome.refused(Refusal.NOTHING_TO_DO);
      }
      tables.put(table, new TableState(nextVersion++, t.identity(), t.schema(), changed));
      return Outcome.APPLIED;
    });
  }

  /** Applies {@code body} to a copy of the branch head's tables; a commit if it applied. */
  private Outcome write(String branch, Function<Map<String, TableState>, Outcome> body) {
    Ref b = refs.get(branch);
    if (b == null) {
      return Outcome.refused(Refusal.NOT_FOUND);
    }
    if (b.kind() == Kind.TAG) {
      return Outcome.refused(Refusal.READ_ONLY);
    }
    Map<String, TableState> tables = new TreeMap<>(commits.get(b.commit()).tables());
    Outcome o = body.apply(tables);
    if (o.refusal() == Refusal.NOTHING_TO_DO) {
      return Outcome.APPLIED; // a statement with nothing to do succeeds and makes no commit
    }
    if (o.applied()) {
      refs.put(branch, new Ref(Kind.BRANCH, commit(List.of(b.commit()), tables).id()));
    }
    return o;
  }

  private Commit commit(List<Integer> parents, Map<String, TableState> tables) {
    Commit c = new Commit(nextCommit++, parents, tables);
    commits.put(c.id(), c);
    return c;
  }

  // ---- transactions and pipeline runs: all or nothing, merged as one commit ----

  /**
   * {@code BEGIN; writes; COMMIT}, or a pipeline run: the writes work on a private branch forked from
   * {@code branch}; if all apply, that branch merges into {@code branch} as one commit (by the merge
   * rule, against whatever {@code branch} holds then); if any is refused, nothing changes.
   */
  public Outcome allOrNothing(String branch, List<Write> writes) {
    Ref b = refs.get(branch);
    if (b == null) {
      return Outcome.refused(Refusal.NOT_FOUND);
    }
    if (b.kind() == Kind.TAG) {
      return Outcome.refused(Refusal.READ_ONLY);
    }
    String scratch = "\u0000scratch";
    refs.put(scratch, new Ref(Kind.BRANCH, b.commit()));
    try {
      for (Write w : writes) {
        Outcome o = w.on(this, scratch);
        if (!o.applied()) {
          return o;
        }
      }
      if (refs.get(scratch).commit() == b.commit()) {
        return Outcome.APPLIED;
      }
      return merge(scratch, branch, false);
    } finally {
      refs.remove(scratch);
    }
  }

  // ---- merges ----

  /** {@code MERGE BRANCH source INTO target}. */
  public Outcome merge(String source, String target) {
    return merge(source, target, true);
  }

  private Outcome merge(String source, String target, boolean fastForward) {
    Ref s = refs.get(source);
    Ref t = refs.get(target);
    if (s == null || t == null) {
      return Outcome.refused(Refusal.NOT_FOUND);
    }
    if (t.kind() == Kind.TAG) {
      return Outcome.refused(Refusal.READ_ONLY);
    }
    int base = mergeBase(s.commit(), t.commit());
    if (base == s.commit()) {
      return Outcome.APPLIED; // nothing to bring over
    }
    if (base == t.commit() && fastForward) {
      refs.put(target, new Ref(Kind.BRANCH, s.commit()));
      return Outcome.APPLIED;
    }
    Map<String, TableState> a = commits.get(base).tables();
    Map<String, TableState> sTables = commits.get(s.commit()).tables();
    Map<String, TableState> tTables = commits.get(t.commit()).tables();
    Map<String, TableState> merged = new TreeMap<>(tTables);
    Set<String> names = new TreeSet<>(a.keySet());
    names.addAll(sTables.keySet());
    names.addAll(tTables.keySet());
    for (String name : names) {
      TableState as = a.get(name);
      TableState ss = sTables.get(name);
      TableState ts = tTables.get(name);
      if (Objects.equals(ss, as)) {
        continue; // unchanged on the source: the target keeps its own
      }
      if (Objects.equals(ts, as)) {
        putOrRemove(merged, name, ss); // changed only on the source
        continue;
      }
      if (Objects.equals(ss, ts)) {
        continue; // both sides hold the same version (both dropped it, or took the same one)
      }
      if (onlyAppended(as, ss) && onlyAppended(as, ts) && !expiredVersions.contains(as.version())) {
        Set<Integer> known = as.fileIds();
        known.addAll(ts.fileIds());
        List<DataFile> files = new ArrayList<>(ts.files());
        ss.files().stream().filter(f -> !known.contains(f.id())).forEach(files::add);
        if (files.size() > ts.files().size()) {
          merged.put(name, new TableState(nextVersion++, ts.identity(), ts.schema(), files));
        }
        continue;
      }
      return Outcome.refused(Refusal.CONFLICT);
    }
    refs.put(target, new Ref(Kind.BRANCH, commit(List.of(t.commit(), s.commit()), merged).id()));
    return Outcome.APPLIED;
  }

  private static void putOrRemove(Map<String, TableState> tables, String name, TableState state) {
    if (state == null) {
      tables.remove(name);
    } else {
      tables.put(name, state);
    }
  }

  /** Whether {@code after} is {@code before} plus appended files: same table, same schema, no file gone. */
  static boolean onlyAppended(TableState before, TableState after) {
    return before != null && after != null && before.identity() == after.identity()
        && before.schema() == after.schema() && after.fileIds().containsAll(before.fileIds());
  }

  /** The newest commit both histories share, following every parent. */
  int mergeBase(int a, int b) {
    Set<Integer> ofA = ancestors(a);
    int best = -1;
    for (int c : ancestors(b)) {
      if (ofA.contains(c) && c > best) {
        best = c;
      }
    }
    return best;
  }

  private Set<Integer> ancestors(int commit) {
    Set<Integer> seen = new HashSet<>();
    Deque<Integer> todo = new ArrayDeque<>(List.of(commit));
    while (!todo.isEmpty()) {
      int c = todo.pop();
      if (seen.add(c)) {
        todo.addAll(commits.get(c).parents());
      }
    }
    return seen;
  }

  // ---- maintenance ----

  /** Whether housekeeping removed the files of this table version. */
  public boolean expired(TableState table) {
    return expiredVersions.contains(table.version());
  }

  /**
   * {@code EXPIRE SNAPSHOTS OLDER THAN <now> RETAIN LAST 1}: only reference heads keep their files.
   * No reference's contents change; a later merge whose common ancestor lost its files can no longer
   * tell appends from rewrites, so both-sides changes to such a table conflict.
   */
  public Outcome expireAllButHeads() {
    Set<Integer> live = new HashSet<>();
    for (Ref r : refs.values()) {
      commits.get(r.commit()).tables().values().forEach(t -> live.add(t.version()));
    }
    for (Commit c : commits.values()) {
      c.tables().values().stream().map(TableState::version).filter(v -> !live.contains(v))
          .forEach(expiredVersions::add);
    }
    return Outcome.APPLIED;
  }
}
