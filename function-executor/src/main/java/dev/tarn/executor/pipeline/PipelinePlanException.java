package dev.tarn.executor.pipeline;

/** A project that cannot be planned: the message names the model, file or parameter at fault. */
public class PipelinePlanException extends RuntimeException {
  public PipelinePlanException(String message) {
    super(message);
  }

  public PipelinePlanException(String message, Throwable cause) {
    super(message, cause);
  }
}
