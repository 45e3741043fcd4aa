package dev.tarn.core.access;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** User passwords: kept only as BCrypt hashes (Spring Security's implementation). */
final class Passwords {
  /** BCrypt reads at most 72 bytes; a longer password would be cut silently, so it is refused. */
  static final int MAX_BYTES = 72;
  static final int MIN_CHARACTERS = 8;
  private static final int COST = 12;
  /** Compared against when the user does not exist, so an unknown name takes as long as a wrong password. */
  private static final String DUMMY_HASH = BCrypt.hashpw("not a password of anyone", BCrypt.gensalt(COST));

  private Passwords() {}

  static String hash(String password) {
    check(password);
    return BCrypt.hashpw(password, BCrypt.gensalt(COST));
  }

  static boolean matches(String password, String hashOrNull) {
    if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      BCrypt.checkpw("", DUMMY_HASH);
      return false;
    }
    boolean ok = BCrypt.checkpw(password, hashOrNull == null ? DUMMY_HASH : hashOrNull);
    return ok && hashOrNull != null;
  }

  private static void check(String password) {
    if (password.codePointCount(0, password.length()) < MIN_CHARACTERS) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a password needs at least " + MIN_CHARACTERS + " characters");
    }
    int bytes = password.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a password is at most " + MAX_BYTES
          + " bytes in UTF-8 (BCrypt's limit); this one has " + bytes);
    }
  }
}
