package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tarn.model.Lake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Model-based testing: random sequences of git-for-data operations run against a real Tarn server
 * (SQL through the stock Flight SQL JDBC driver, some steps by two clients at once) and against the
 * reference model {@link Lake}; after every step each reference's tables must hold the same rows on
 * both, and the server must accept exactly what the model accepts. A failing sequence is shrunk by
 * jqwik and printed as the SQL script that reproduces it.
 *
 * <p>Each try works on branches of its own ({@code m<n>_main}, {@code m<n>_dev}, {@code m<n>_ops},
 * tag {@code m<n>_v}) forked from main, with tables {@code a} and {@code b}. The default run is short
 * enough for every build: a thousand tries; {@code -Djqwik.tries.default=N} runs another number.
 */
class GitModelConformanceTest {
  private static final List<String> BRANCHES = List.of("main", "dev", "ops");
  private static final List<String> TABLES = List.of("a", "b");
  private static final AtomicInteger TRIES = new AtomicInteger();
  private static final AtomicInteger COLUMNS = new AtomicInteger();
  /** The most model states kept as possible at once (each step prunes those the server contradicts). */
  private static final int MAX_STATES = 16;

  private static RunningServer server;
  private static Connection one;
  private static Connection two;

  @BeforeContainer
  static void start() throws SQLException {
    server = RunningServer.start();
    one = server.connect();
    two = server.connect();
  }

  @AfterContainer
  static void stop() throws SQLException {
    one.close();
    two.close();
    server.close();
  }

  /** One operation: its SQL on the server (for a try's prefix) and its effect on the model. */
  interface Op {
    String sql(String p);

    Lake.Outcome on(Lake lake);

    /** Runs it on the server through {@code c}; the server's error when it refused it, else null. */
    default String run(Connection c, String p) {
      try {
        for (String statement : sql(p).split(";\n")) {
          execute(c, statement);
        }
        return null;
      } catch (SQLException refused) {
        rollbackQuietly(c);
        return refused.getMessage();
      }
    }
  }

  record Insert(String branch, String table, List<Long> rows) implements Op {
    public String sql(String p) {
      return "INSERT INTO " + p + branch + ".public." + table + " (k) VALUES "
          + rows.stream().map(r -> "(" + r + ")").collect(Collectors.joining(", "));
    }

    public Lake.Outcome on(Lake lake) {
      return lake.insert(branch, table, rows);
    }
  }

  record DeleteBelow(String branch, String table, long below) implements Op {
    public String sql(String p) {
      return "DELETE FROM " + p + branch + ".public." + table + " WHERE k < " + below;
    }

    public Lake.Outcome on(Lake lake) {
      return lake.deleteBelow(branch, table, below);
    }
  }

  record Optimize(String branch, String table) implements Op {
    public String sql(String p) {
      return "OPTIMIZE TABLE " + p + branch + ".public." + table;
    }

    public Lake.Outcome on(Lake lake) {
      return lake.optimize(branch, table);
    }
  }

  record AddColumn(String branch, String table, int column) implements Op {
    public String sql(String p) {
      return "ALTER TABLE " + p + branch + ".public." + table + " ADD COLUMN c" + column + " VARCHAR";
    }

    public Lake.Outcome on(Lake lake) {
      return lake.addColumn(branch, table);
    }
  }

  record Recreate(String branch, String table) implements Op {
    public String sql(String p) {
      return "DROP TABLE " + p + branch + ".public." + table + ";\nCREATE TABLE " + p + branch + ".public." + table
          + " (k BIGINT)";
    }

    public Lake.Outcome on(Lake lake) {
      Lake.Outcome dropped = lake.dropTable(branch, table);
      return dropped.applied() ? lake.createTable(branch, table) : dropped;
    }
  }

  record Merge(String source, String target) implements Op {
    public String sql(String p) {
      return "MERGE BRANCH " + p + source + " INTO " + p + target;
    }

    public Lake.Outcome on(Lake lake) {
      return lake.merge(source, target);
    }
  }

  record Assign(String branch, String to) implements Op {
    public String sql(String p) {
      return "ALTER BRANCH " + p + branch + " ASSIGN TO " + p + to;
    }

    public Lake.Outcome on(Lake lake) {
      return lake.assign(branch, to);
    }
  }

  record Tag(String from) implements Op {
    public String sql(String p) {
      return "CREATE TAG " + p + "v FROM " + p + from;
    }

    public Lake.Outcome on(Lake lake) {
      return lake.createTag("v", from);
    }
  }

  /** BEGIN; INSERT; DELETE; COMMIT, or one whose second statement fails and which is rolled back. */
  record Transaction(String branch, String table, List<Long> rows, boolean fails) implements Op {
    public String sql(String p) {
      return "USE BRANCH " + p + branch + ";\nBEGIN;\nINSERT INTO " + table + " (k) VALUES "
          + rows.stream().map(r -> "(" + r + ")").collect(Collectors.joining(", ")) + ";\n"
          + (fails ? "INSERT INTO missing VALUES (1)" : "DELETE FROM " + table + " WHERE k < 1") + ";\nCOMMIT";
    }

    public Lake.Outcome on(Lake lake) {
      List<Lake.Write> writes = fails
          ? List.of((l, b) -> l.insert(b, table, rows), (l, b) -> l.insert(b, "missing", rows))
          : List.of((l, b) -> l.insert(b, table, rows), (l, b) -> l.deleteBelow(b, table, 1));
      return lake.allOrNothing(branch, writes);
    }

    @Override
    public String run(Connection c, String p) {
      try {
        return Op.super.run(c, p);
      } finally {
        try {
          execute(c, "USE BRANCH main");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** Every file made to look old, then EXPIRE SNAPSHOTS keeping only each reference's head. */
  record Expire() implements Op {
    public String sql(String p) {
      return "EXPIRE SNAPSHOTS OLDER THAN '2100-01-01' RETAIN LAST 1";
    }

    public Lake.Outcome on(Lake lake) {
      return lake.expireAllButHeads();
    }

    @Override
    public String run(Connection c, String p) {
      FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
      try (Stream<Path> files = Files.walk(server.warehouse().resolve("tables"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.setLastModifiedTime(f, old);
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return Op.super.run(c, p);
    }
  }

  /** Two operations by two clients at once. */
  record Together(Op first, Op second) implements Op {
    public String sql(String p) {
      return "-- at once, from two clients:\n" + first.sql(p) + ";\n-- and\n" + second.sql(p);
    }

    public Lake.Outcome on(Lake lake) {
      throw new UnsupportedOperationException("checked against every order");
    }
  }

  @Provide
  Arbitrary<List<Op>> sequences() {
    Arbitrary<String> branch = Arbitraries.of(BRANCHES);
    Arbitrary<String> table = Arbitraries.of(TABLES);
    Arbitrary<List<Long>> rows = Arbitraries.longs().between(0, 9).list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<Op> insert = Combinators.combine(branch, table, rows).as(Insert::new);
    Arbitrary<Op> merge = Combinators.combine(branch, branch).filter((s, t) -> !s.equals(t))
        .as(Merge::new);
    Arbitrary<Op> optimize = Combinators.combine(branch, table).as(Optimize::new);
    Arbitrary<Op> together = Arbitraries.oneOf(
        Combinators.combine(branch, table, rows, rows).as((b, t, r1, r2) -> new Together(
            new Insert(b, t, r1), new Insert(b, t, r2))),
        Combinators.combine(branch, table, rows).as((b, t, r) -> new Together(
            new Insert(b, t, r), new Optimize(b, t))),
        Combinators.combine(branch, branch, table, rows).filter((s, b, t, r) -> !s.equals(b))
            .as((s, b, t, r) -> new Together(new Insert(b, t, r), new Merge(s, b))));
    Arbitrary<Op> other = Arbitraries.oneOf(
        Combinators.combine(branch, table, Arbitraries.longs().between(0, 9)).as(DeleteBelow::new),
        Combinators.combine(branch, table).as((b, t) -> new AddColumn(b, t, COLUMNS.incrementAndGet())),
        Combinators.combine(branch, table).as(Recreate::new),
        Combinators.combine(branch, branch).as(Assign::new),
        branch.map(Tag::new),
        Combinators.combine(branch, table, rows, Arbitraries.of(true, false)).as(Transaction::new));
    return Arbitraries.frequencyOf(Tuple.of(5, insert), Tuple.of(4, merge), Tuple.of(2, optimize),
            Tuple.of(2, together), Tuple.of(3, other), Tuple.of(1, Arbitraries.just(new Expire())))
        .list().ofMinSize(1).ofMaxSize(12);
  }

  /** Tries: {@code jqwik.tries.default} (src/test/resources/junit-platform.properties, or -D). */
  @Property
  void theServerDoesWhatTheModelDoes(@ForAll("sequences") List<Op> ops) throws Exception {
    String p = "m" + TRIES.incrementAndGet() + "_";
    Lake lake = new Lake();
    execute(one, "CREATE BRANCH " + p + "main FROM main");
    for (String t : TABLES) {
      execute(one, "CREATE TABLE " + p + "main.public." + t + " (k BIGINT)");
      lake.createTable("main", t);
    }
    for (String b : List.of("dev", "ops")) {
      execute(one, "CREATE BRANCH " + p + b + " FROM " + p + "main");
      lake.createBranch(b, "main");
    }
    List<String> script = new ArrayList<>();
    // Every model state the server's answers so far allow: two operations at once may land in either
    // order with the same rows but different histories, and later merges can tell them apart.
    List<Lake> possible = List.of(lake);
    try {
      for (Op op : ops) {
        script.add(op.sql(p));
        possible = step(op, possible, p, script);
      }
    } finally {
      cleanUp(p);
    }
  }

  /** Runs one step on the server; answers the model states that agree with what the server did and holds. */
  private static List<Lake> step(Op op, List<Lake> possible, String p, List<String> script) throws Exception {
    List<Function<Lake, Optional<Lake>>> outcomes = new ArrayList<>();
    String summary;
    if (op instanceof Together both) {
      CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> both.first().run(one, p));
      CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> both.second().run(two, p));
      String firstError = first.get();
      String secondError = second.get();
      // the server may land them in either order, and may refuse one that collided with the other
      outcomes.add(l -> both(l, both.first(), firstError == null, both.second(), secondError == null));
      outcomes.add(l -> both(l, both.second(), secondError == null, both.first(), firstError == null));
      summary = "first " + (firstError == null ? "accepted" : "refused: " + firstError) + ", second "
          + (secondError == null ? "accepted" : "refused: " + secondError);
    } else {
      String error = op.run(one, p);
      outcomes.add(l -> op.on(l).applied() == (error == null) ? Optional.of(l) : Optional.empty());
      summary = error == null ? "accepted" : "refused: " + error;
    }
    Map<String, Map<String, List<Long>>> seen = serverContents(p);
    List<Lake> next = new ArrayList<>();
    List<String> predicted = new ArrayList<>();
    for (Lake lake : possible) {
      for (Function<Lake, Optional<Lake>> outcome : outcomes) {
        Optional<Lake> candidate = outcome.apply(lake.copy());
        if (candidate.isEmpty()) {
          predicted.add("the model " + (op instanceof Together ? "cannot apply them so" : "answers otherwise"));
        } else if (!candidate.get().contents().equals(seen)) {
          predicted.add("the model holds " + candidate.get().contents());
        } else if (next.size() < MAX_STATES) {
          next.add(candidate.get());
        }
      }
    }
    if (next.isEmpty()) {
      fail("the server disagrees with the model at the last step (" + summary + "); it holds " + seen + "; "
          + predicted + "; the steps:\n" + script(script));
    }
    return next;
  }

  /** {@code a} then {@code b} on the model, each applied exactly when the server accepted it. */
  private static Optional<Lake> both(Lake lake, Op a, boolean ranA, Op b, boolean ranB) {
    for (Map.Entry<Op, Boolean> e : List.of(Map.entry(a, ranA), Map.entry(b, ranB))) {
      if (e.getValue()) {
        if (!e.getKey().on(lake).applied()) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(lake);
  }

  /** What the server holds for every reference and table the model knows. */
  private static Map<String, Map<String, List<Long>>> serverContents(String p) throws SQLException {
    Map<String, Map<String, List<Long>>> out = new TreeMap<>();
    List<String> existing = new ArrayList<>();
    try (ResultSet rs = one.getMetaData().getCatalogs()) {
      while (rs.next()) {
        existing.add(rs.getString("TABLE_CAT"));
      }
    }
    for (String ref : List.of("main", "dev", "ops", "v")) {
      if (!existing.contains(p + ref)) {
        continue;
      }
      Map<String, List<Long>> tables = new TreeMap<>();
      try (ResultSet rs = one.getMetaData().getTables(p + ref, "public", "%", null)) {
        while (rs.next()) {
          String t = rs.getString("TABLE_NAME");
          List<Long> rows = new ArrayList<>();
          try (Statement s = one.createStatement();
              ResultSet r = s.executeQuery("SELECT k FROM " + p + ref + ".public." + t + " ORDER BY k")) {
            while (r.next()) {
              rows.add(r.getLong(1));
            }
          }
          tables.put(t, rows);
        }
      }
      out.put(ref, tables);
    }
    return out;
  }

  private static void cleanUp(String p) {
    for (String statement : List.of("USE BRANCH main", "DROP TAG " + p + "v", "DROP BRANCH " + p + "dev",
        "DROP BRANCH " + p + "ops", "DROP BRANCH " + p + "main")) {
      try {
        execute(one, statement);
      } catch (SQLException ignored) {
        // not there: nothing to drop
      }
    }
  }

  private static String script(List<String> steps) {
    return String.join(";\n", steps) + ";";
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      execute(c, "ROLLBACK");
    } catch (SQLException notInATransaction) {
      // nothing was open
    }
  }
}
