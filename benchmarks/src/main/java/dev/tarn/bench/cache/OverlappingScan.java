package dev.tarn.bench.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One scan of B6's sequence, as a user's pipeline declares it: a project with one Python model whose
 * input reads {@code columns} of the events table from {@code from} on. The model prints how many
 * rows it got and their {@code usd} total, which the benchmark checks, and returns one row.
 *
 * @param name the model's name, and how the tables name the scan
 * @param role why it is in the sequence, for people
 * @param columns the declared columns
 * @param from the filter's lower bound on {@code eventTime} (a date)
 */
record OverlappingScan(String name, String role, List<String> columns, String from) {

  OverlappingScan {
    columns = List.copyOf(columns);
  }

  /** The input's filter, as the model declares it. */
  String filter() {
    return "eventTime >= '" + from + "'";
  }

  /** Writes the project folder {@code <parent>/<name>} and returns it. */
  Path writeProject(Path parent) throws IOException {
    Path dir = Files.createDirectories(parent.resolve(name));
    String declared = columns.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "));
    Files.writeString(dir.resolve("models.py"), """
        import tarn
        import pyarrow as pa
        import pyarrow.compute as pc


        @tarn.model()
        @tarn.python("%s")
        def %s(data=tarn.Model("%s", columns=[%s], filter="%s")):
            usd = pc.sum(data["usd"]).as_py() or 0.0
            print(f"rows={data.num_rows} usd={usd!r}")
            return pa.table({"rows": [data.num_rows]})
        """.formatted(CacheBenchmark.PYTHON, name, EventsTable.NAME, declared, filter()));
    return dir;
  }
}
