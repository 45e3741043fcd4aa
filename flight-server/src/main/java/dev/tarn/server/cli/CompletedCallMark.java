package dev.tarn.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells the {@code tarn} launcher that a client call did its whole work: reached the server, ran what
 * it was given and read every answer.
 *
 * <p>The launcher writes a class-data archive of the classes the first call after a build loads, and
 * every later call maps it. It keeps that archive only when this mark exists: a call that printed its
 * help or its version, or ran an empty script, loaded a small part of what later calls need, and an
 * archive of it would leave them loading the rest from jars.
 */
final class CompletedCallMark {
  /** The system property naming the file to create; the launcher sets it on the call that writes the archive. */
  static final String PROPERTY = "tarn.cli.completed-mark";

  private CompletedCallMark() {}

  static void markCompleted() {
    String mark = System.getProperty(PROPERTY);
    if (mark == null || mark.isBlank()) {
      return;
    }
    try {
      Files.createFile(Path.of(mark));
    } catch (IOException e) {
      // the call's own work is done and stands; without the mark the launcher only drops the archive
    }
  }
}
