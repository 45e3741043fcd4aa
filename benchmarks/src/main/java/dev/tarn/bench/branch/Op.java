package dev.tarn.bench.branch;

/**
 * One timed statement of a B3 repetition, in the order a repetition runs them. The first three are
 * the git-for-data operations the spec gives a budget; the others are reported for information.
 */
enum Op {
  CREATE_BRANCH("create_branch", "CREATE BRANCH b_k FROM main", true),
  INSERT("insert", "INSERT INTO b_k.b.t_0 VALUES (k, 'k'): a one-row commit on the branch", true),
  MERGE("merge", "MERGE BRANCH b_k INTO main", true),
  SHOW_LOG("show_log", "SHOW LOG main LIMIT 1", false),
  SELECT_COUNT("select_count", "SELECT count(*) FROM b.t_0 (on main)", false),
  SELECT_1("select_1", "SELECT 1: the Flight SQL JDBC round trip alone, no catalog work", false);

  /** The name in results: {@code branch.<key>....}. */
  final String key;
  /** What is timed, for the table and the JSON. */
  final String statement;
  /** Whether the spec's budget (p50 < 10 ms, 1,000/10 ratio ~1) applies. */
  final boolean hasGoal;

  Op(String key, String statement, boolean hasGoal) {
    this.key = key;
    this.statement = statement;
    this.hasGoal = hasGoal;
  }
}
