package dev.tarn.executor.python;

/**
 * A model environment could not be assembled: an unknown package or version, a Python version this
 * executor does not have, or uv missing. The message names what is missing and is written for the
 * author of the pipeline.
 */
public class EnvironmentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EnvironmentException(String message) {
    super(message);
  }

  public EnvironmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
