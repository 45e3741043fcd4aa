package dev.tarn.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.Goal;
import dev.tarn.bench.Result;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {
  private static final List<Result> RESULTS = List.of(
      Result.throughput("stream.native_vs_arrow_export", 24e6, 12e6, "rows/s", Goal.atLeast(0.7), Map.of()),
      Result.throughput("stream.native_vs_duckdb_jdbc", 19e6, 12e6, "rows/s", Goal.none(), Map.of()),
      Result.time("tpch.total <&> \"quoted\"", 10, 11, "s", Goal.atMost(1.15), Map.of()),
      Result.absolute("branch.insert.p50.10_tables", 65, "ms", Goal.below(10, "ms"), Map.of()),
      Result.absolute("load.throughput", 123.4, "statements/s", Goal.none(), Map.of()),
      Result.absolute("load.errors", 0, "errors", Goal.below(1, "errors"), Map.of()),
      Result.absolute("startup.first_answer.median", 2.1, "s", Goal.below(3, "s"), Map.of()));

  @Test
  void chartIsValidSvgWithOneBarPerResult(@TempDir Path dir) throws Exception {
    Path file = SvgChart.write(dir.resolve("run.svg"), "tarn bench all --quick", RESULTS);
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(file)));
    Element root = doc.getDocumentElement();
    assertEquals("svg", root.getLocalName());
    assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());

    NodeList rects = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
    int bars = 0;
    for (int i = 0; i < rects.getLength(); i++) {
      if ("bar".equals(((Element) rects.item(i)).getAttribute("class"))) {
        bars++;
      }
    }
    assertEquals(RESULTS.size(), bars);

    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(text.contains("tpch.total &lt;&amp;&gt; &quot;quoted&quot;"), text);
    assertTrue(text.contains("startup.first_answer.median"), text);
  }

  @Test
  void barsAreDrawnAgainstTheirGoal() {
    // 0.5x against ">= 0.7x": short of the line, red
    SvgChart.Bar ratio = SvgChart.bar(RESULTS.get(0));
    assertEquals(0.5 / 0.7, ratio.relative(), 1e-9);
    assertEquals(SvgChart.MISSED, ratio.colour());
    // 65 ms against "< 10 ms": far past the line (cut off at 2x), red
    assertEquals(6.5, SvgChart.bar(RESULTS.get(3)).relative(), 1e-9);
    // 2.1 s against "< 3 s": met
    assertEquals(SvgChart.MET, SvgChart.bar(RESULTS.get(6)).colour());
    // a figure with no goal and no ratio: grey, no line
    SvgChart.Bar info = SvgChart.bar(RESULTS.get(4));
    assertEquals(SvgChart.NEUTRAL, info.colour());
    assertEquals(false, info.line());
    assertEquals("0.50x  goal >= 0.7x  NOT met", SvgChart.label(RESULTS.get(0)));
  }
}
