package dev.tarn.bench.movement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.QuickRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick B4 once through the command line: 100k rows to a real Python model process and
 * back, both ways, every table that came back checked. Needs uv and the pyarrow environment (from
 * the Tarn cache, downloaded on first use). Timings are never asserted.
 */
class MovementBenchmarkTest {

  @Test
  void quickMovementHandsTheTableOverBothWaysAndWritesItsResults(@TempDir Path out) throws Exception {
    QuickRun run = QuickRun.of("movement", out);
    String text = run.printed();
    assertTrue(text.contains("100,000 rows"), text);
    assertEquals(List.of("movement.end_to_end", "movement.hand_off", "movement.out_of_duckdb",
        "movement.model_reads_input", "movement.model_writes_output", "movement.back_into_duckdb"),
        run.resultNames());
    Map<?, ?> endToEnd = (Map<?, ?>) run.results().get(0);
    assertEquals(">= 50x", endToEnd.get("goal"));
    Map<?, ?> parameters = (Map<?, ?>) endToEnd.get("parameters");
    assertEquals(100_000, ((Number) parameters.get("rows")).intValue());
    Map<?, ?> checksum = (Map<?, ?>) parameters.get("checksum");
    assertEquals(100_000, ((Number) checksum.get("rows")).intValue());
    assertEquals(List.of("id BIGINT", "usd DOUBLE", "customer VARCHAR", "event_time TIMESTAMP"), checksum.get("types"));
    // The model process reported its own read and write times, so the hand-off is measured apart.
    for (String side : List.of("tarn", "baseline")) {
      List<?> writes = (List<?>) parameters.get(side + "_model_writes_output_seconds");
      assertEquals(1, writes.size(), side);
      assertTrue(((Number) writes.get(0)).doubleValue() > 0, side + " write time " + writes);
      assertTrue(((Number) parameters.get(side + "_input_bytes")).longValue() > 100_000, side);
    }
  }
}
