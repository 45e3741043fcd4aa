package dev.tarn.core.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Ticker;
import dev.tarn.core.TarnException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Failed logins per address and per user, on a clock the test moves. */
class LoginThrottleTest {
  private final AtomicLong now = new AtomicLong();
  private final Ticker clock = new Ticker() {
    @Override
    public long read() {
      return now.get();
    }
  };

  @Test
  void anAddressPastItsFailuresIsRefusedUntilTheWindowEnds() {
    LoginThrottle throttle = new LoginThrottle(new LoginLimits(3, 100, Duration.ofSeconds(60)), clock);
    for (int i = 0; i < 3; i++) {
      assertDoesNotThrow(() -> throttle.checkAllowed("10.0.0.1", "ana"));
      throttle.recordFailure("10.0.0.1", "ana");
    }
    TarnException refused = assertThrows(TarnException.class, () -> throttle.checkAllowed("10.0.0.1", "bob"));
    assertEquals(TarnException.Kind.RESOURCE_EXHAUSTED, refused.kind());
    assertTrue(refused.getMessage().contains("--max-failed-logins") && refused.getMessage().contains("10.0.0.1"),
        refused.getMessage());
    assertDoesNotThrow(() -> throttle.checkAllowed("10.0.0.2", "ana"), "another address is not held back");
    now.addAndGet(Duration.ofSeconds(61).toNanos());
    assertDoesNotThrow(() -> throttle.checkAllowed("10.0.0.1", "ana"), "the window ended");
  }

  @Test
  void aUserPastItsFailuresIsRefusedFromEveryAddress() {
    LoginThrottle throttle = new LoginThrottle(new LoginLimits(100, 2, Duration.ofSeconds(60)), clock);
    throttle.recordFailure("10.0.0.1", "ana");
    throttle.recordFailure("10.0.0.2", "ana");
    TarnException refused = assertThrows(TarnException.class, () -> throttle.checkAllowed("10.0.0.3", "ana"));
    assertTrue(refused.getMessage().contains("--max-failed-logins-per-user"), refused.getMessage());
    assertDoesNotThrow(() -> throttle.checkAllowed("10.0.0.3", "bob"));
  }
}
