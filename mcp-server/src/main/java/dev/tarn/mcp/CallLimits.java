package dev.tarn.mcp;

/**
 * How much one token may ask of the agents' doors: tool calls per minute, in bursts of as many
 * ({@code --mcp-calls-per-minute}), and calls running at once ({@code --mcp-concurrent-calls}).
 */
public record CallLimits(int callsPerMinute, int concurrentCalls) {
  public static final int DEFAULT_CALLS_PER_MINUTE = 120;
  public static final int DEFAULT_CONCURRENT_CALLS = 4;

  public CallLimits {
    if (callsPerMinute < 1 || concurrentCalls < 1) {
      throw new IllegalArgumentException("--mcp-calls-per-minute and --mcp-concurrent-calls must be at least 1, not "
          + callsPerMinute + " and " + concurrentCalls);
    }
  }

  public static CallLimits defaults() {
    return new CallLimits(DEFAULT_CALLS_PER_MINUTE, DEFAULT_CONCURRENT_CALLS);
  }
}
