package dev.tarn.rest;

/** A request the protocol cannot take as sent (malformed JSON, a missing parameter); answered with 400. */
final class BadRequest extends RuntimeException {
  BadRequest(String message) {
    super(message);
  }
}
