package dev.tarn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The invariants of git for data, checked on the model over random operation sequences: no
 * acknowledged write is lost or leaks to another reference, a merge is atomic over all tables and
 * follows the rule in rows (not only in files), a refused operation, transaction or run changes
 * nothing, tags never move, and maintenance never changes what any reference holds.
 */
class LakeInvariantsTest {
  private static final List<String> BRANCHES = List.of("main", "dev", "ops");
  private static final List<String> TABLES = List.of("a", "b");

  /** One operation, applied to the lake; {@code name} is for the shrunk counterexample. */
  record Step(String name, java.util.function.Function<Lake, Lake.Outcome> run, String branch, Kind kind) {
    @Override
    public String toString() {
      return name;
    }
  }

  enum Kind { WRITE, INSERT, KEEPS_ROWS, MERGE, ALL_OR_NOTHING, REFERENCE, MAINTENANCE }

  @Provide
  Arbitrary<List<Step>> sequences() {
    Arbitrary<String> branch = Arbitraries.of(BRANCHES);
    Arbitrary<String> table = Arbitraries.of(TABLES);
    Arbitrary<List<Long>> rows = Arbitraries.longs().between(0, 20).list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<Step> insert = Combinators.combine(branch, table, rows).as((b, t, r) -> new Step(
        "INSERT INTO " + b + "." + t + " " + r, l -> l.insert(b, t, r), b, Kind.INSERT));
    Arbitrary<Step> merge = Combinators.combine(branch, branch).as((s, t) -> new Step(
        "MERGE BRANCH " + s + " INTO " + t, l -> l.merge(s, t), t, Kind.MERGE));
    Arbitrary<Step> other = Arbitraries.oneOf(
        Combinators.combine(branch, table).as((b, t) -> new Step("CREATE TABLE " + b + "." + t,
            l -> l.createTable(b, t), b, Kind.WRITE)),
        Combinators.combine(branch, table, Arbitraries.longs().between(0, 20)).as((b, t, k) -> new Step(
            "DELETE FROM " + b + "." + t + " WHERE k < " + k, l -> l.deleteBelow(b, t, k), b, Kind.WRITE)),
        Combinators.combine(branch, table).as((b, t) -> new Step("OPTIMIZE TABLE " + b + "." + t,
            l -> l.optimize(b, t), b, Kind.KEEPS_ROWS)),
        Combinators.combine(branch, table).as((b, t) -> new Step("ALTER TABLE " + b + "." + t + " ADD COLUMN",
            l -> l.addColumn(b, t), b, Kind.KEEPS_ROWS)),
        Combinators.combine(branch, table).as((b, t) -> new Step("DROP TABLE " + b + "." + t,
            l -> l.dropTable(b, t), b, Kind.WRITE)),
        Combinators.combine(branch, branch).as((n, f) -> new Step("CREATE BRANCH " + n + " FROM " + f,
            l -> l.createBranch(n, f), n, Kind.REFERENCE)),
        branch.map(f -> new Step("CREATE TAG v FROM " + f, l -> l.createTag("v", f), "v", Kind.REFERENCE)),
        Combinators.combine(branch, branch).as((b, to) -> new Step("ALTER BRANCH " + b + " ASSIGN TO " + to,
            l -> l.assign(b, to), b, Kind.REFERENCE)),
        Combinators.combine(branch, table, rows, Arbitraries.of(true, false)).as((b, t, r, fails) -> new Step(
            (fails ? "BEGIN; INSERT; INSERT INTO missing; COMMIT on " : "BEGIN; INSERT; DELETE; COMMIT on ") + b,
            l -> l.allOrNothing(b, fails
                ? List.<Lake.Write>of((x, br) -> x.insert(br, t, r), (x, br) -> x.insert(br, "missing", r))
                : List.<Lake.Write>of((x, br) -> x.insert(br, t, r), (x, br) -> x.deleteBelow(br, t, 1))),
            b, Kind.ALL_OR_NOTHING)),
        Arbitraries.just(new Step("EXPIRE SNAPSHOTS", Lake::expireAllButHeads, null, Kind.MAINTENANCE)));
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, insert), net.jqwik.api.Tuple.of(3, merge), net.jqwik.api.Tuple.of(4, other));
    return step.list().ofMinSize(1).ofMaxSize(25);
  }

  @Property(tries = 2000)
  void everyStepKeepsTheInvariants(@ForAll("sequences") List<Step> steps) {
    Lake lake = new Lake();
    // every sequence starts from two tables on main and two branches made from it
    TABLES.forEach(t -> lake.createTable("main", t));
    lake.createBranch("dev", "main");
    lake.createBranch("ops", "main");
    Map<String, Integer> tags = new HashMap<>();
    List<Step> done = new ArrayList<>();
    for (Step step : steps) {
      done.add(step);
      Lake before = lake.copy();
      Lake.Outcome outcome = step.run().apply(lake);
      String where = "after " + done;
      if (!outcome.applied()) {
        assertEquals(before.contents(), lake.contents(), "a refused operation changes nothing " + where);
        assertEquals(before.refs(), lake.refs(), "a refused operation moves no reference " + where);
        continue;
      }
      for (Map.Entry<String, Lake.Ref> r : lake.refs().entrySet()) {
        if (r.getValue().kind() == Lake.Kind.TAG) {
          Integer first = tags.putIfAbsent(r.getKey(), r.getValue().commit());
          assertTrue(first == null || first == r.getValue().commit(), "tags never move " + where);
        }
      }
      if (step.kind() == Kind.REFERENCE) {
        continue;
      }
      for (String ref : before.refs().keySet()) {
        if (!ref.equals(step.branch())) {
          assertEquals(before.contents().get(ref), lake.contents().get(ref),
              "an operation changes only its own branch " + where);
        }
      }
      switch (step.kind()) {
        case INSERT -> assertInserted(before, lake, step, where);
        case KEEPS_ROWS -> assertEquals(before.contents(), lake.contents(),
            "compaction and schema changes keep every row " + where);
        case MAINTENANCE -> {
          assertEquals(before.contents(), lake.contents(), "maintenance keeps every row " + where);
          for (String ref : lake.refs().keySet()) {
            lake.tables(ref).values().forEach(t -> assertTrue(!lake.expired(t),
                "maintenance never removes the files of what a reference holds " + where));
          }
        }
        case MERGE -> assertMergedByTheRule(before, lake, step, where);
        default -> { }
      }
    }
  }

  private static boolean isSubBag(List<Long> small, List<Long> big) {
    List<Long> rest = new ArrayList<>(big);
    for (Long r : small) {
      if (!rest.remove(r)) {
        return false;
      }
    }
    return true;
  }

  /** The acknowledged rows are there, with every row the branch held before. */
  private static void assertInserted(Lake before, Lake after, Step step, String where) {
    for (String table : after.tables(step.branch()).keySet()) {
      List<Long> was = before.tables(step.branch()).containsKey(table)
          ? before.tables(step.branch()).get(table).rows() : List.of();
      List<Long> is = after.tables(step.branch()).get(table).rows();
      List<Long> missing = new ArrayList<>(was);
      is.forEach(missing::remove);
      assertEquals(List.of(), missing, "no acknowledged row is lost " + where);
    }
  }

  /**
   * In rows: a table only the source changed holds the source's rows; one it did not change keeps the
   * target's; one both sides appended to holds the target's rows plus the rows the source added.
   */
  private static void assertMergedByTheRule(Lake before, Lake after, Step step, String where) {
    String[] words = step.name().split(" ");
    String source = words[2];
    String target = words[4];
    int base = before.mergeBase(before.refs().get(source).commit(), before.refs().get(target).commit());
    Map<String, Lake.TableState> a = before.commit(base).tables();
    Map<String, Lake.TableState> s = before.tables(source);
    Map<String, Lake.TableState> t = before.tables(target);
    for (Map.Entry<String, Lake.TableState> merged : after.tables(target).entrySet()) {
      String name = merged.getKey();
      List<Long> rows = merged.getValue().rows();
      if (java.util.Objects.equals(s.get(name), a.get(name))) {
        assertEquals(t.get(name).rows(), rows, "unchanged on the source: the target's rows " + where);
      } else if (java.util.Objects.equals(t.get(name), a.get(name))) {
        assertEquals(s.get(name).rows(), rows, "changed only on the source: the source's rows " + where);
      } else if (Lake.onlyAppended(a.get(name), s.get(name)) && Lake.onlyAppended(a.get(name), t.get(name))) {
        // rows alone cannot tell one file that reached both sides from equal rows written twice, so:
        // every target row stays, every source row is there, and nothing else is
        List<Long> atMost = new ArrayList<>(t.get(name).rows());
        List<Long> added = new ArrayList<>(s.get(name).rows());
        a.get(name).rows().forEach(added::remove);
        atMost.addAll(added);
        assertTrue(isSubBag(t.get(name).rows(), rows) && isSubBag(rows, atMost)
            && rows.containsAll(s.get(name).rows()),
            "appended on both sides: the target's rows plus the source's new ones " + where);
      }
    }
  }
}
