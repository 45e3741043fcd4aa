package dev.tarn.core.auth;

import java.time.Duration;

/**
 * How many failed logins the server accepts before it refuses further attempts for a while.
 *
 * @param perAddress failed logins from one client address within the window
 *     ({@code --max-failed-logins})
 * @param perUser failed logins for one user name within the window, from anywhere
 *     ({@code --max-failed-logins-per-user})
 * @param window how long failures count, and how long attempts are refused once a limit is reached
 *     ({@code --failed-login-window-seconds})
 */
public record LoginLimits(int perAddress, int perUser, Duration window) {
  public static final int DEFAULT_PER_ADDRESS = 10;
  public static final int DEFAULT_PER_USER = 30;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

  public LoginLimits {
    if (perAddress < 1) {
      throw new IllegalArgumentException("--max-failed-logins must be at least 1, not " + perAddress);
    }
    if (perUser < 1) {
      throw new IllegalArgumentException("--max-failed-logins-per-user must be at least 1, not " + perUser);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("--failed-login-window-seconds must be positive");
    }
  }

  public static LoginLimits defaults() {
    return new LoginLimits(DEFAULT_PER_ADDRESS, DEFAULT_PER_USER, DEFAULT_WINDOW);
  }
}
