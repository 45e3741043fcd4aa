package dev.tarn.core.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Position;
import dev.tarn.executor.EngineException.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Engine errors placed back in the client's text after Tarn rewrote it. */
class TextEditsTest {
  private static final String CLIENT = "SELECT v FROM t\nJOIN u ON t.id = u.id WHERE id = 'abc'";
  private static final List<ReadBinder.Replacement> VIEWS = List.of(
      new ReadBinder.Replacement(21, 22, "\"lake_1\".\"public\".\"u\""),
      new ReadBinder.Replacement(14, 15, "\"lake_1\".\"public\".\"t\""));

  /** The column of 'abc' on the client's second line. */
  private static final int ABC = CLIENT.substring(CLIENT.indexOf('\n') + 1).indexOf("'abc'") + 1;

  private static Optional<Position> placed(TextEdits edits, String ran, Position at) {
    return edits.relocate(new EngineException(Reason.INVALID, "Conversion Error", at, null), ran, CLIENT).position();
  }

  @Test
  void aPlaceAfterARenamedTableMovesBackByWhatTheNameGrew() {
    String ran = ReadBinder.apply(CLIENT, VIEWS);
    TextEdits edits = TextEdits.of(VIEWS);
    int quote = ran.lastIndexOf("'abc'");
    int lineStart = ran.indexOf('\n') + 1;
    assertEquals(Optional.of(new Position(2, ABC)), placed(edits, ran, new Position(2, quote - lineStart + 1)));
    assertEquals(Optional.of(new Position(1, 8)), placed(edits, ran, new Position(1, 8)), "before any edit");
    assertEquals(Optional.of(new Position(1, 15)), placed(edits, ran, new Position(1, 20)),
        "inside a view's name: the table's name the client wrote");
    assertEquals(Optional.empty(), placed(edits, ran, new Position(3, 1)), "no such line");
    assertEquals(Optional.empty(), placed(edits, ran, new Position(1, 400)), "no such column");
  }

  @Test
  void aPartOfALongLineIsFoundInTheTextRunOnlyWhenItIsThereOnce() {
    String ran = ReadBinder.apply(CLIENT, VIEWS);
    TextEdits edits = TextEdits.of(VIEWS);
    assertEquals(Optional.of(new Position(2, ABC)),
        placed(edits, ran, new Position(2, "u.id WHERE id = ".length() + 1, "u.id WHERE id = 'abc'")));
    assertEquals(Optional.empty(), placed(edits, ran, new Position(2, 2, "u")), "u is on the line three times");
    assertEquals(Optional.empty(), placed(edits, ran, new Position(2, 2, "nowhere")));
    // without edits, the part shown still tells the whole line's column
    assertEquals(Optional.of(new Position(2, ABC + 2)), placed(TextEdits.NONE, CLIENT, new Position(2, 3, "'abc'")));
  }

  @Test
  void tarnsPrefixMapsToWhatTheClientWroteBeforeTheQuery() {
    String client = "explain  SELECT * FROM t WHERE id = 'x'";
    List<ReadBinder.Replacement> view = List.of(new ReadBinder.Replacement(14, 15, "\"lake_1\".\"public\".\"t\""));
    TextEdits edits = TextEdits.of(view).afterPrefix(9, "EXPLAIN ".length());
    String ran = "EXPLAIN " + ReadBinder.apply(client.substring(9), view);
    EngineException error = new EngineException(Reason.INVALID, "Conversion Error",
        new Position(1, ran.indexOf("'x'") + 1), null);
    EngineException placed = edits.relocate(error, ran, client);
    assertEquals(Optional.of(new Position(1, client.indexOf("'x'") + 1)), placed.position());
    assertEquals("Conversion Error (at line 1, column 37)", placed.getMessage());
    assertEquals(0, edits.clientOffset(3), "inside Tarn's prefix: where the client's text starts");
  }
}
