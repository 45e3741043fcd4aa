package dev.tarn.core.auth;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.tarn.core.TarnException;

/**
 * Counts failed logins per client address and per user name in a fixed window that starts at the
 * first failure, and refuses every attempt (right password or not, so guessing gains nothing) from
 * an address or for a user past its limit until the window ends. Counters live in bounded caches
 * that forget on their own.
 */
public final class LoginThrottle {
  private static final int MAX_TRACKED = 100_000;
  /** Longer user names (no real user has one) are counted by their start, so a guesser's keys stay small. */
  private static final int MAX_USER_KEY = 256;

  private final LoginLimits limits;
  private final Ticker ticker;
  private final Cache<String, Window> byAddress;
  private final Cache<String, Window> byUser;

  public LoginThrottle(LoginLimits limits, Ticker ticker) {
    this.limits = limits;
    this.ticker = ticker;
    this.byAddress = newCache();
    this.byUser = newCache();
  }

  private Cache<String, Window> newCache() {
    return CacheBuilder.newBuilder().ticker(ticker).maximumSize(MAX_TRACKED)
        .expireAfterWrite(limits.window().toNanos(), TimeUnit.NANOSECONDS).build();
  }

  /** Failures since {@code startNanos}. */
  private record Window(long startNanos, AtomicInteger failures) {}

  /** Throws RESOURCE_EXHAUSTED when the address or the user has used up its failed logins. */
  public void checkAllowed(String address, String user) {
    user = userKey(user);
    Optional<Duration> addressWait = exhausted(byAddress, address, limits.perAddress());
    if (addressWait.isPresent()) {
      throw refusal("from " + address, limits.perAddress(), "--max-failed-logins", addressWait.get());
    }
    Optional<Duration> userWait = exhausted(byUser, user, limits.perUser());
    if (userWait.isPresent()) {
      throw refusal("for user " + user, limits.perUser(), "--max-failed-logins-per-user", userWait.get());
    }
  }

  public void recordFailure(String address, String user) {
    count(byAddress, address);
    count(byUser, userKey(user));
  }

  private static String userKey(String user) {
    return user.length() <= MAX_USER_KEY ? user : user.substring(0, MAX_USER_KEY) + "...";
  }

  private Optional<Duration> exhausted(Cache<String, Window> cache, String key, int limit) {
    Window window = cache.getIfPresent(key);
    if (window == null || window.failures().get() < limit) {
      return Optional.empty();
    }
    long left = window.startNanos() + limits.window().toNanos() - ticker.read();
    return Optional.of(Duration.ofNanos(Math.max(left, 0)));
  }

  private void count(Cache<String, Window> cache, String key) {
    try {
      cache.get(key, () -> new Window(ticker.read(), new AtomicInteger())).failures().incrementAndGet();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private RuntimeException refusal(String who, int limit, String flag, Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return new TarnException(TarnException.Kind.RESOURCE_EXHAUSTED, "too many failed logins " + who + ": " + limit + " within "
        + limits.window().toSeconds() + " s, the limit set by " + flag + "; try again in " + seconds + " s");
  }
}
