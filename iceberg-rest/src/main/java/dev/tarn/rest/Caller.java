package dev.tarn.rest;

/**
 * Who sends a request: the Tarn user their credentials prove and the engine they run (from the
 * client's {@code User-Agent} or {@code X-Client-Version}), both named in the commits they make.
 */
record Caller(String user, String engine) {
  /** A commit's author: the user, and the engine that wrote for them. */
  String author() {
    return user + " via " + engine;
  }
}
