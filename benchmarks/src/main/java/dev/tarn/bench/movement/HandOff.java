package dev.tarn.bench.movement;

/** One way of handing B4's table to the Python model and back into DuckDB. */
interface HandOff extends AutoCloseable {

  /** Short key for the JSON: {@code arrow} or {@code parquet}. */
  String key();

  /** What it is, for the printed table. */
  String label();

  /**
   * Hands table {@code source} to the model and makes its output DuckDB table {@code target}
   * (replacing it), timing each step.
   */
  Trip handOff(String source, String target) throws Exception;

  /** Releases memory and removes files; failures are unchecked, there is nothing to retry. */
  @Override
  void close();
}
