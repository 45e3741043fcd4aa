package dev.tarn.bench.movement;

/**
 * One hand-off of the table to the Python model and back, in seconds.
 *
 * @param total from the first byte leaving DuckDB to the output being a DuckDB table again
 * @param out moving the table out of DuckDB to where the model reads it
 * @param process the model's process, from its start to its exit (interpreter start, imports,
 *     reading, the model, writing)
 * @param read the process reading its input, as it reported it
 * @param model the model function itself, as the process reported it
 * @param write the process writing its output, as it reported it
 * @param back reading the output into a DuckDB table
 * @param bytes the size of the input file the model was handed
 * @param rowsReported the output's row count as the process reported it
 */
record Trip(double total, double out, double process, double read, double model, double write, double back,
    long bytes, long rowsReported) {

  /** The movement alone: out of DuckDB, into the model, out of the model, back into DuckDB. */
  double handOff() {
    return out + read + write + back;
  }

  /** What the process spent on neither moving nor the model: interpreter start, imports, exit. */
  double processOverhead() {
    return process - read - model - write;
  }
}
