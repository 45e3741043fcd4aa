package dev.tarn.executor.python;

/**
 * Hears a Python model's output line by line while the model runs (its {@code print()} lines and
 * warnings), so people can follow a long model. Lines arrive bounded ({@link OutputFollower}); the
 * whole output is still captured and returned with the model's result.
 */
@FunctionalInterface
public interface ModelOutput {
  ModelOutput NONE = (stream, line) -> {};

  /** Which of the model process's outputs a line came from. */
  enum Stream {
    STDOUT, STDERR;

    /** {@code stdout} or {@code stderr}, as clients see it. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One line, without its line break; called from the thread running the model, in output order per stream. */
  void line(Stream stream, String line);
}
