package dev.tarn.bench;

/** A side of a benchmark returned a different answer than expected: its timing means nothing. */
public final class WrongAnswerException extends RuntimeException {
  public WrongAnswerException(String message) {
    super(message);
  }
}
