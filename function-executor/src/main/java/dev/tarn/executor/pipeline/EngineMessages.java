package dev.tarn.executor.pipeline;

/** DuckDB's error messages cut to what a pipeline author needs. */
final class EngineMessages {
  private EngineMessages() {}

  /**
   * The message without DuckDB's trailing context (after a blank line) and without the Java stack
   * trace DuckDB appends when a Java callback (an Arrow stream) failed.
   */
  static String of(String message) {
    if (message == null) {
      return "";
    }
    String s = message;
    int blank = s.indexOf("\n\n");
    if (blank >= 0) {
      s = s.substring(0, blank);
    }
    int stack = s.indexOf("\n\tat ");
    if (stack >= 0) {
      s = s.substring(0, stack);
    }
    return s.strip();
  }
}
