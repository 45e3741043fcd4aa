package dev.tarn.core.auth;

/** A credential that proves no one (a wrong password, an expired or unknown token); the message says which. */
public final class InvalidLoginException extends RuntimeException {
  public InvalidLoginException(String message) {
    super(message);
  }
}
