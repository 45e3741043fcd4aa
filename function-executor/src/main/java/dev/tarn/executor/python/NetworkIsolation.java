package dev.tarn.executor.python;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a model process without a network, for models that declare {@code internet_access=False}: the
 * process starts in new user and network namespaces ({@code unshare --user --net}), where the only
 * interface is a loopback that is down, so every connection fails at once. Needs util-linux's {@code
 * unshare} and unprivileged user namespaces; whether this machine has them is probed once.
 */
public final class NetworkIsolation {
  private static final List<String> PREFIX = List.of("unshare", "--user", "--net", "--");
  private static volatile String unavailable; // null: not probed yet; "": available; else why not

  private NetworkIsolation() {}

  /**
   * The command line run without a network.
   *
   * @throws IllegalStateException saying why when this machine cannot start a process without one
   */
  public static List<String> wrap(List<String> command) {
    String why = probe();
    if (!why.isEmpty()) {
      throw new IllegalStateException(why);
    }
    List<String> wrapped = new ArrayList<>(PREFIX);
    wrapped.addAll(command);
    return wrapped;
  }

  /** Whether this machine can start a process without a network. */
  public static boolean available() {
    return probe().isEmpty();
  }

  private static String probe() {
    String known = unavailable;
    if (known != null) {
      return known;
    }
    synchronized (NetworkIsolation.class) {
      if (unavailable == null) {
        unavailable = tryIsolation();
      }
      return unavailable;
    }
  }

  private static String tryIsolation() {
    List<String> probe = new ArrayList<>(PREFIX);
    probe.add("true");
    try {
      Process p = new ProcessBuilder(probe).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "this server cannot run a model without network access: '" + String.join(" ", probe) + "' did not finish";
      }
      return p.exitValue() == 0 ? "" : "this server cannot run a model without network access: '"
          + String.join(" ", probe) + "' failed (" + output + "); unprivileged user namespaces are needed";
    } catch (IOException e) {
      return "this server cannot run a model without network access: util-linux's unshare is not installed ("
          + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "the probe for running models without network access was interrupted";
    }
  }
}
