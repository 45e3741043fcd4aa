package dev.tarn.mcp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * What each token may still ask of the agents' doors, within its {@link CallLimits}: a budget of tool calls per minute (a token bucket,
 * so a short burst is fine and a loop is stopped) and a number of calls at once. One agent in a loop
 * then slows only itself, not the people and other agents sharing the server. Budgets are per
 * credential (an API token, a login token; the user on a server without users) and forgotten after an
 * idle while.
 * Both doors (streamable HTTP and the Flight action behind {@code tarn mcp}) draw on one set.
 */
public final class CallBudgets {
  private final int callsPerMinute;
  private final int concurrentCalls;
  private final Cache<String, Budget> budgets = Caffeine.newBuilder()
      .expireAfterAccess(Duration.ofMinutes(10))
      .maximumSize(100_000)
      .build();

  public CallBudgets(CallLimits limits) {
    this.callsPerMinute = limits.callsPerMinute();
    this.concurrentCalls = limits.concurrentCalls();
  }

  /** A call's claim on its credential's budget; closing it ends the call. */
  interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes one call from the budget of {@code credential}, or refuses it naming the limit that was
   * reached.
   */
  Permit acquire(String credential) {
    Budget budget = budgets.get(credential, key -> new Budget(
        Bucket.builder().addLimit(Bandwidth.builder().capacity(callsPerMinute)
            .refillGreedy(callsPerMinute, Duration.ofMinutes(1)).build()).build(),
        new Semaphore(concurrentCalls)));
    if (!budget.running().tryAcquire()) {
      throw new TarnException(Kind.RESOURCE_EXHAUSTED, "this token already has " + concurrentCalls
          + " tool calls running, the most it may have at once; wait for one to finish");
    }
    if (!budget.calls().tryConsume(1)) {
      budget.running().release();
      throw new TarnException(Kind.RESOURCE_EXHAUSTED, "this token made " + callsPerMinute
          + " tool calls within the last minute, the most it may make; wait a little and call again");
    }
    return budget.running()::release;
  }

  /**
   * The budget a call draws on: its bearer token's SHA-256, whichever door it came through (two tokens
   * of one user have two budgets), or the user when it carries none (a server without users).
   */
  static String credentialOf(String user, Optional<String> bearer) {
    if (bearer.isEmpty() || bearer.get().isBlank()) {
      return "user:" + user;
    }
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(bearer.get().strip().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Budget(Bucket calls, Semaphore running) {}
}
