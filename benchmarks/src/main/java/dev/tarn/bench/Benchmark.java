package dev.tarn.bench;

import java.util.List;

/**
 * One benchmark of the performance spec (B1 stream, B2 tpch, ...). Each is one class, registered in
 * {@link Benchmarks}; {@link BenchMain} runs it, prints its results and writes them as JSON.
 *
 * <p>A benchmark measures Tarn and its baseline in the same run, on the same machine, and checks
 * that both gave the right answer: a wrong answer is an exception, a slow one never is.
 */
public interface Benchmark {

  /** The name on the command line and in the result file, e.g. {@code stream}. */
  String name();

  /** One line for {@code --list}: the spec id and what is measured against what. */
  String description();

  /**
   * Runs the benchmark, quick or full as {@code params} say.
   *
   * @return one result per comparison the spec asks for
   * @throws WrongAnswerException when any side returned a wrong answer
   * @throws Exception when the benchmark could not run at all
   */
  List<Result> run(BenchParams params) throws Exception;
}
