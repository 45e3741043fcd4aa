package dev.tarn.core.arrow;

import dev.tarn.core.arrow.ExactColumns.Column;
import java.util.function.IntConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;

/**
 * Applies the exact conversions {@link ExactColumns} plans to one batch of a column. Each returns
 * a new vector the caller closes; a value the conversion cannot carry exactly (a timestamp with
 * sub-microsecond digits, a date64 that is not midnight) is refused with its column and row.
 */
public final class ColumnConverter {
  private static final long NANOS_PER_MICRO = 1_000L;
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private ColumnConverter() {}

  /** The column's values as DuckDB is to see them: a new vector, or null when it is passed as sent. */
  public static FieldVector convert(Column column, FieldVector source, DictionaryProvider dictionaries,
      BufferAllocator allocator) {
    return switch (column.conversion()) {
      case AS_SENT -> null;
      case DECODE_DICTIONARY -> decode(column, source, dictionaries, allocator);
      case WIDEN_FLOAT16 -> widenFloat16(column, (Float2Vector) source, allocator);
      case TIMESTAMP_NANOS_TO_MICROS -> timestampMicros(column, (TimeStampVector) source, allocator);
      case TIME_NANOS_TO_MICROS -> timeMicros(column, (TimeNanoVector) source, allocator);
      case DATE_MILLIS_TO_DAYS -> dateDays(column, (DateMilliVector) source, allocator);
      case NARROW_DECIMAL256 -> narrowDecimal(column, (Decimal256Vector) source, allocator);
    };
  }

  private static FieldVector decode(Column column, FieldVector indices, DictionaryProvider dictionaries,
      BufferAllocator allocator) {
    long id = column.source().getDictionary().getId();
    Dictionary dictionary = dictionaries.lookup(id);
    if (dictionary == null) {
      throw ExactColumns.refusal(column.source().getName(), null, column.source().getType(),
          "the stream sent no dictionary " + id + " for it");
    }
    FieldVector decoded = (FieldVector) DictionaryEncoder.decode(indices, dictionary, allocator);
    // decoding keeps the dictionary's own field name; the table column keeps the uploaded one
    FieldVector named = column.target().createVector(allocator);
    decoded.makeTransferPair(named).transfer();
    named.setValueCount(indices.getValueCount());
    decoded.close();
    return named;
  }

  /**
   * Fills {@code out} row by row from {@code source}: a null stays null, every other row is set by
   * {@code setRow}, which may refuse the value.
   */
  private static <T extends BaseFixedWidthVector> T eachRow(ValueVector source, T out, IntConsumer setRow) {
    int n = source.getValueCount();
    out.allocateNew(n);
    for (int i = 0; i < n; i++) {
      if (source.isNull(i)) {
        out.setNull(i);
      } else {
        setRow.accept(i);
      }
    }
    out.setValueCount(n);
    return out;
  }

  private static FieldVector widenFloat16(Column column, Float2Vector source, BufferAllocator allocator) {
    Float4Vector out = (Float4Vector) column.target().createVector(allocator);
    return eachRow(source, out, i -> out.set(i, source.getValueAsFloat(i)));
  }

  private static FieldVector timestampMicros(Column column, TimeStampVector source, BufferAllocator allocator) {
    TimeStampVector out = (TimeStampVector) column.target().createVector(allocator);
    return eachRow(source, out, i -> out.set(i, wholeMicros(column, source.get(i), i)));
  }

  private static FieldVector timeMicros(Column column, TimeNanoVector source, BufferAllocator allocator) {
    TimeMicroVector out = (TimeMicroVector) column.target().createVector(allocator);
    return eachRow(source, out, i -> out.set(i, wholeMicros(column, source.get(i), i)));
  }

  private static long wholeMicros(Column column, long nanos, int row) {
    if (nanos % NANOS_PER_MICRO != 0) {
      throw ExactColumns.refusal(column.source().getName(), null, column.source().getType(),
          "Tarn stores microseconds and the value " + nanos + " (batch row " + row
              + ") has sub-microsecond digits; round it to microseconds before sending");
    }
    return nanos / NANOS_PER_MICRO;
  }

  private static FieldVector dateDays(Column column, DateMilliVector source, BufferAllocator allocator) {
    DateDayVector out = (DateDayVector) column.target().createVector(allocator);
    return eachRow(source, out, i -> {
      long millis = source.get(i);
      if (millis % MILLIS_PER_DAY != 0) {
        throw ExactColumns.refusal(column.source().getName(), null, column.source().getType(),
            "the value " + millis + " (batch row " + i + ") is not a whole day, so it is not a date");
      }
      out.set(i, Math.toIntExact(millis / MILLIS_PER_DAY));
    });
  }

  private static FieldVector narrowDecimal(Column column, Decimal256Vector source, BufferAllocator allocator) {
    DecimalVector out = (DecimalVector) column.target().createVector(allocator);
    // the declared precision is at most 38, so every value fits 128 bits
    return eachRow(source, out, i -> out.set(i, source.getObject(i)));
  }
}
