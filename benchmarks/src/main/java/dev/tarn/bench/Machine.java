package dev.tarn.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a result depends on besides the code: recorded with every result file. */
public final class Machine {
  private Machine() {}

  public static Map<String, Object> describe() {
    Runtime rt = Runtime.getRuntime();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", rt.availableProcessors());
    m.put("cpu", cpuModel());
    m.put("memory_bytes", physicalMemory());
    m.put("max_heap_bytes", rt.maxMemory());
    m.put("java_version", System.getProperty("java.version"));
    m.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    m.put("jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    // Other work on a shared machine skews every figure: a load above the core count means noise.
    m.put("load_average_1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return m;
  }

  /** One line for the top of the printed table. */
  public static String summary(Map<String, Object> machine) {
    Object memory = machine.get("memory_bytes");
    return machine.get("cores") + " cores"
        + (machine.get("cpu") == null ? "" : " (" + machine.get("cpu") + ")")
        + (memory instanceof Long bytes ? ", " + (bytes >> 30) + " GiB RAM" : "")
        + ", max heap " + (((Long) machine.get("max_heap_bytes")) >> 20) + " MiB"
        + ", Java " + machine.get("java_version")
        + ", " + machine.get("os")
        + String.format(Locale.ROOT, ", load %.2f", (Double) machine.get("load_average_1m"));
  }

  private static Long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return null;
  }

  private static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return null;
    }
    try {
      List<String> lines = Files.readAllLines(cpuinfo);
      return lines.stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }
}
