package dev.tarn.executor.python;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds (or installs) uv for the tests. uv comes from PyPI: {@code ./tarn test} installs it into
 * the project's {@code .venv} from {@code python/requirements-test.txt}; when the tests run on
 * their own (plain {@code mvn}) and {@code .venv} exists without uv, it is installed there with pip.
 * Without uv the tests fail with that explanation rather than skip.
 */
public final class PythonTestSupport {
  static final String UV_VERSION = "0.13.9";

  private PythonTestSupport() {}

  public static synchronized Environments environments() {
    if (Environments.findUv().isEmpty()) {
      installUvIntoVenv();
    }
    Path uv = Environments.findUv().orElse(null);
    if (uv == null) {
      fail("uv was not found (looked at $TARN_UV, PATH and .venv/bin/uv above the working folder): run ./tarn test, which "
          + "creates .venv with python/requirements-test.txt (uv==" + UV_VERSION + "), or `pip install uv`");
    }
    Path runtime = Environments.findRuntime().orElse(null);
    if (runtime == null) {
      fail("python/tarn-runtime/src not found above " + Path.of("").toAbsolutePath());
    }
    // The default cache (~/.cache/tarn or $TARN_CACHE_DIR) persists across test runs: only the
    // first run downloads packages.
    return new Environments(Environments.defaultCacheDir(), uv, runtime, java.time.Duration.ofMinutes(5));
  }

  private static void installUvIntoVenv() {
    Optional<Path> root = projectRoot();
    if (root.isEmpty()) {
      return;
    }
    Path python = root.get().resolve(".venv/bin/python");
    if (!Files.isExecutable(python)) {
      return;
    }
    try {
      Process pip = new ProcessBuilder(python.toString(), "-m", "pip", "install", "-q",
              "--disable-pip-version-check", "uv==" + UV_VERSION)
          .inheritIO().start();
      if (!pip.waitFor(5, TimeUnit.MINUTES)) {
        pip.destroyForcibly();
      }
    } catch (IOException e) {
      // reported by the caller: uv still missing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Optional<Path> projectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("python/requirements-test.txt"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  /**
   * Waits up to 10 s until no process of this machine has {@code marker} among its arguments, and
   * returns the command lines of those that still do (empty when none is left).
   */
  public static List<String> processesLeftWith(String marker) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<String> left = ProcessHandle.allProcesses()
          .filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
          .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
          .toList();
      if (left.isEmpty() || System.nanoTime() > deadline) {
        return left;
      }
      Thread.sleep(100);
    }
  }

  /**
   * Python that starts two processes with {@code marker} among their arguments, each sleeping two
   * minutes: one a plain child, one detached (a new session, then a second fork whose parent
   * exits at once, as daemons detach), so that it is no longer a descendant of the caller.
   */
  public static String startsProcessesMarked(String marker) {
    return """
        import os as _os, subprocess as _subprocess, sys as _sys
        _sleeper = [_sys.executable, "-c", "import time; time.sleep(120)", "%s"]
        _subprocess.Popen(_sleeper)
        _child = _os.fork()
        if _child == 0:
            _os.setsid()
            if _os.fork() == 0:
                _os.execv(_sys.executable, _sleeper)
            _os._exit(0)
        _os.waitpid(_child, 0)
        """.formatted(marker);
  }
}
