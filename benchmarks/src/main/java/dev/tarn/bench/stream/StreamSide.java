package dev.tarn.bench.stream;

import dev.tarn.bench.WrongAnswerException;
import dev.tarn.bench.stream.StreamQuery.Tally;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** One way of fetching B1's result; fetched once to warm up, then once per timed run. */
interface StreamSide extends AutoCloseable {

  /** Short key: a, b, c, d. */
  String key();

  /** What it is, for the table and the JSON. */
  String label();

  /** Runs the query and consumes its whole result. */
  Tally fetch() throws Exception;

  /** Releases its connection and memory; failures are unchecked, there is nothing to retry. */
  @Override
  void close();

  /** Counts rows, sums column a and adds up the Arrow buffers of a batch, for the Arrow sides. */
  final class ArrowCounter {
    private final String side;
    private long rows;
    private long sumA;
    private long bytes;

    ArrowCounter(String side) {
      this.side = side;
    }

    void add(VectorSchemaRoot root) {
      if (root.getFieldVectors().size() != StreamQuery.COLUMNS) {
        throw new WrongAnswerException(side + ": expected " + StreamQuery.COLUMNS + " columns, got "
            + root.getSchema());
      }
      int count = root.getRowCount();
      FieldVector a = root.getVector(1);
      if (!(a instanceof BaseIntVector ints)) {
        throw new WrongAnswerException(side + ": column a came back as " + a.getField().getType());
      }
      long sum = 0;
      for (int i = 0; i < count; i++) {
        sum += ints.getValueAsLong(i);
      }
      sumA += sum;
      rows += count;
      for (FieldVector v : root.getFieldVectors()) {
        bytes += v.getBufferSize();
      }
    }

    Tally tally() {
      return Tally.ofArrow(rows, sumA, bytes);
    }
  }
}
