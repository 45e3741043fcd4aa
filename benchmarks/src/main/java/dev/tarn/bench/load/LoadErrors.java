package dev.tarn.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * What went wrong across all clients: statements that failed (errors, reported against the goal of
 * zero) and answers that were wrong (a failed benchmark). Keeps the first few messages of each.
 */
final class LoadErrors {
  static final int KEPT = 5;

  private int errors;
  private int wrong;
  private final List<String> firstErrors = new ArrayList<>();
  private final List<String> firstWrong = new ArrayList<>();

  synchronized void add(String where, Throwable e) {
    errors++;
    if (firstErrors.size() < KEPT) {
      firstErrors.add(where + ": " + e);
    }
  }

  synchronized void wrong(String message) {
    wrong++;
    if (firstWrong.size() < KEPT) {
      firstWrong.add(message);
    }
  }

  synchronized int errors() {
    return errors;
  }

  synchronized int wrongAnswers() {
    return wrong;
  }

  synchronized List<String> firstErrors() {
    return List.copyOf(firstErrors);
  }

  synchronized List<String> firstWrong() {
    return List.copyOf(firstWrong);
  }
}
