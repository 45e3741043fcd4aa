package dev.tarn.bench.branch;

/**
 * One timed statement of a B3 repetition, in the order a repetition runs them. The first three are
 * the git-for-data operations the spec gives a budget; the others are reported for information.
 */
enum Op {
  CREATE_BRANCH("create_branch", "CREATE BRANCH b_k FROM main", 10),
  INSERT("insert", "INSERT INTO b_k.b.t_0 VALUES (k, 'k'): a one-row commit on the branch", 15),
  MERGE("merge", "MERGE BRANCH b_k INTO main", 10),
  SHOW_LOG("show_log", "SHOW LOG main LIMIT 1", 0),
  SELECT_COUNT("select_count", "SELECT count(*) FROM b.t_0 (on main)", 0),
  SELECT_1("select_1", "SELECT 1: the Flight SQL JDBC round trip alone, no catalog work", 0);

  /** The name in results: {@code branch.<key>....}. */
  final String key;
  /** What is timed, for the table and the JSON. */
  final String statement;
  /** Whether the spec's budget (a p50 in ms, 1,000/10 ratio ~1) applies. */
  final boolean hasGoal;
  /** The spec's p50 budget: 10 ms, 15 ms for the one-row INSERT with its durable commit. */
  final double budgetMs;

  Op(String key, String statement, double budgetMs) {
    this.key = key;
    this.statement = statement;
    this.hasGoal = budgetMs > 0;
    this.budgetMs = budgetMs;
  }
}
