package dev.tarn.bench.env;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.bench.WrongAnswerException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answer check of B5: an environment, however it was made, must hold exactly the pinned
 * versions, asked of its own interpreter, and a Tarn environment must also import Tarn's runtime.
 */
final class InstalledPackages {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Prints {name: installed version or null} for the names given as arguments. */
  private static final String REPORT = "import importlib.metadata as m, json, sys\n"
      + "def version(name):\n"
      + "    try:\n"
      + "        return m.version(name)\n"
      + "    except m.PackageNotFoundError:\n"
      + "        return None\n"
      + "print(json.dumps({n: version(n) for n in sys.argv[1:]}))\n";

  private InstalledPackages() {}

  /**
   * Throws unless {@code python} has every pin of {@code pins} at its version.
   *
   * @param what names the environment in the message
   * @param withRuntime whether {@code import tarn} must work too (Tarn's environments)
   */
  static void check(String what, Path python, Map<String, String> pins, boolean withRuntime)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(python.toString(), "-I", "-c",
        (withRuntime ? "import tarn\n" : "") + REPORT));
    command.addAll(pins.keySet());
    String output = Commands.run(command, List.of());
    String last = output.strip().lines().reduce((a, b) -> b).orElse("{}");
    Map<String, String> installed = JSON.readValue(last, new TypeReference<Map<String, String>>() {});
    for (Map.Entry<String, String> pin : pins.entrySet()) {
      if (!pin.getValue().equals(installed.get(pin.getKey()))) {
        throw new WrongAnswerException(what + ": " + pin.getKey() + " is " + installed.get(pin.getKey())
            + ", expected " + pin.getValue() + " (installed: " + installed + ")");
      }
    }
  }
}
