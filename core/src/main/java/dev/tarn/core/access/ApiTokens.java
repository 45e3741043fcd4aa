package dev.tarn.core.access;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * API token secrets: 32 random bytes behind a recognisable prefix. Only their SHA-256 is kept: a
 * secret this random needs no slow hash, and a fast one lets every call be checked against the
 * current state, so a dropped or expired token stops working at its next call.
 */
public final class ApiTokens {
  /** Every secret starts so; the transport tells API tokens from its own session tokens by it. */
  public static final String PREFIX = "tarn_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long MAX_DAYS = 3650;

  private ApiTokens() {}

  public static boolean looksLikeApiToken(String bearer) {
    return bearer != null && bearer.startsWith(PREFIX);
  }

  static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code '30 days'}, {@code '12 hours'}, {@code '90 minutes'}, {@code '2 weeks'}, {@code '45 seconds'} (singular or plural). */
  static Duration lifetime(String text) {
    String[] parts = text.strip().toLowerCase(Locale.ROOT).split("\\s+");
    String shown = text.length() > 40 ? text.substring(0, 37) + "..." : text;
    if (parts.length != 2 || !parts[0].chars().allMatch(Character::isDigit) || parts[0].length() > 6) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "EXPIRES IN '" + shown + "': write a number and a unit,"
          + " as in '30 days' (units: seconds, minutes, hours, days, weeks)");
    }
    long n = Long.parseLong(parts[0]);
    String unit = parts[1].endsWith("s") ? parts[1].substring(0, parts[1].length() - 1) : parts[1];
    Duration d = switch (unit) {
      case "second" -> Duration.ofSeconds(n);
      case "minute" -> Duration.ofMinutes(n);
      case "hour" -> Duration.ofHours(n);
      case "day" -> Duration.ofDays(n);
      case "week" -> Duration.ofDays(7 * n);
      default -> throw new TarnException(Kind.INVALID_ARGUMENT, "EXPIRES IN '" + shown
          + "': the unit is one of seconds, minutes, hours, days, weeks");
    };
    if (d.isZero() || d.compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "EXPIRES IN '" + shown + "': a token lives at least a second"
          + " and at most " + MAX_DAYS + " days");
    }
    return d;
  }
}
