package dev.tarn.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.bench.WrongAnswerException;
import dev.tarn.bench.stream.StreamQuery.Tally;
import org.junit.jupiter.api.Test;

class StreamQueryTest {

  @Test
  void closedFormsMatchAddingUpRowByRow() {
    for (long n : new long[] {1, 2, 96, 97, 98, 1000, 123_457}) {
      long id = 0;
      long a = 0;
      long b = 0;
      double c = 0;
      for (long i = 0; i < n; i++) {
        id += i;
        a += i * 2;
        b += i % 97;
        c += i * 0.5;
      }
      assertEquals(id, StreamQuery.expectedSumId(n), "sum(id) for " + n);
      assertEquals(a, StreamQuery.expectedSumA(n), "sum(a) for " + n);
      assertEquals(b, StreamQuery.expectedSumB(n), "sum(b) for " + n);
      assertEquals(c, StreamQuery.expectedSumC(n), "sum(c) for " + n);
    }
  }

  @Test
  void aMissingRowOrAWrongColumnIsAWrongAnswer() {
    long n = 1000;
    StreamQuery.check("ok", Tally.ofRows(n, StreamQuery.expectedSumId(n), StreamQuery.expectedSumA(n),
        StreamQuery.expectedSumB(n), StreamQuery.expectedSumC(n)), n);
    assertThrows(WrongAnswerException.class,
        () -> StreamQuery.check("short", Tally.ofArrow(n - 1, StreamQuery.expectedSumA(n), 0), n));
    assertThrows(WrongAnswerException.class, () -> StreamQuery.check("c off", Tally.ofRows(n,
        StreamQuery.expectedSumId(n), StreamQuery.expectedSumA(n), StreamQuery.expectedSumB(n), 1.0), n));
  }
}
