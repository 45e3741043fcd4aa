package dev.tarn.core.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session ids this server issued: 128 random bits plus a MAC under a key that lives only as long
 * as the process. A cookie can be handed out on any call without storing anything, and a session
 * is stored only once the client proves it keeps the cookie by sending it back; ids the client
 * made up (or a previous process issued) are not adopted.
 */
final class SessionIds {
  private static final HexFormat HEX = HexFormat.of();
  private static final String ALGORITHM = "HmacSHA256";
  private static final int RANDOM_BYTES = 16;
  private static final int TAG_BYTES = 16;

  private final SecureRandom random = new SecureRandom();
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  SessionIds() {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    key = new SecretKeySpec(secret, ALGORITHM);
  }

  String next() {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    String body = HEX.formatHex(bytes);
    return body + "." + tag(body);
  }

  boolean issuedHere(String id) {
    int dot = id.indexOf('.');
    if (dot != RANDOM_BYTES * 2 || id.length() != dot + 1 + TAG_BYTES * 2) {
      return false;
    }
    String body = id.substring(0, dot);
    return MessageDigest.isEqual(tag(body).getBytes(StandardCharsets.US_ASCII),
        id.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
  }

  private String tag(String body) {
    Mac mac = macs.get();
    return HEX.formatHex(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)), 0, TAG_BYTES);
  }

  /** A keyed Mac per thread: every call checks its cookie, and looking up and keying a Mac costs more than using one. */
  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
    }
  }
}
