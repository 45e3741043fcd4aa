package dev.tarn.core.session;

import java.time.Duration;

/**
 * How many sessions the server keeps, and for how long. A session holds an engine connection and,
 * possibly, an open transaction, so the server refuses new ones past these limits rather than
 * pushing out existing ones.
 *
 * @param maxSessions sessions kept in total ({@code --max-sessions})
 * @param maxSessionsPerUser sessions kept for one user ({@code --max-sessions-per-user}); on an
 *     open server every client is the user {@code anonymous}
 * @param idleTimeout a session unused this long is closed and its open transaction rolled back
 *     ({@code --session-idle-minutes})
 */
public record SessionLimits(int maxSessions, int maxSessionsPerUser, Duration idleTimeout) {
  public static final int DEFAULT_MAX_SESSIONS = 1000;
  public static final int DEFAULT_MAX_SESSIONS_PER_USER = 200;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

  public SessionLimits {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("--max-sessions must be at least 1, not " + maxSessions);
    }
    if (maxSessionsPerUser < 1) {
      throw new IllegalArgumentException("--max-sessions-per-user must be at least 1, not " + maxSessionsPerUser);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("the session idle timeout (--session-idle-minutes) must be positive");
    }
  }

  public static SessionLimits defaults() {
    return new SessionLimits(DEFAULT_MAX_SESSIONS, DEFAULT_MAX_SESSIONS_PER_USER, DEFAULT_IDLE_TIMEOUT);
  }
}
