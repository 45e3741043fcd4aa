package dev.tarn.executor;

import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.validate.ValidateVectorBufferVisitor;
import org.apache.arrow.vector.validate.ValidateVectorDataVisitor;

/**
 * Checks Arrow data that came from outside the server (a client's upload or parameters, a model's
 * output file) before anything reads it. Such data carries its own lengths, offsets and dictionary
 * indices, and DuckDB reads Arrow through the C data interface without bounds checks: a string's
 * offset past its buffer would read the server's memory or end its process.
 *
 * <p>What is checked is what memory safety needs, with Arrow's own validators: every buffer holds
 * what the declared lengths need, offsets are non-negative and in order (so inside their buffers),
 * children are long enough, string views point inside their buffers, and dictionary indices inside
 * their dictionaries. Values themselves (UTF-8, decimal precision) are left to the engine: Arrow's
 * full validation decodes every string, which costs more than reading the batch.
 */
public final class UntrustedArrow {
  private UntrustedArrow() {}

  /**
   * @param dictionaries those of the batch's dictionary-encoded columns, or null when the batch has none
   * @throws EngineException INVALID naming {@code what} and the first defect found
   */
  public static void check(VectorSchemaRoot batch, DictionaryProvider dictionaries, String what) {
    try {
      for (FieldVector vector : batch.getFieldVectors()) {
        if (vector.getValueCount() != batch.getRowCount()) {
          throw new IllegalArgumentException("column " + vector.getName() + " has " + vector.getValueCount()
              + " values in a batch of " + batch.getRowCount() + " rows");
        }
        checkVector(vector, dictionaries);
      }
    } catch (RuntimeException e) {
      throw new EngineException(EngineException.Reason.INVALID, what + " is not valid Arrow: " + e.getMessage(), e);
    }
  }

  private static void checkVector(FieldVector vector, DictionaryProvider dictionaries) {
    vector.accept(new Buffers(), null);
    vector.accept(new Offsets(), null);
    checkDictionaryIndices(vector, dictionaries);
  }

  /** Indices of dictionary-encoded columns, nested ones included, inside their (checked) dictionaries. */
  private static void checkDictionaryIndices(FieldVector vector, DictionaryProvider dictionaries) {
    DictionaryEncoding encoding = vector.getField().getDictionary();
    if (encoding != null) {
      Dictionary dictionary = dictionaries == null ? null : dictionaries.lookup(encoding.getId());
      if (dictionary == null) {
        throw new IllegalArgumentException("the dictionary of column " + vector.getName() + " was not sent");
      }
      checkVector(dictionary.getVector(), dictionaries);
      BaseIntVector indices = (BaseIntVector) vector;
      int size = dictionary.getVector().getValueCount();
      for (int i = 0; i < vector.getValueCount(); i++) {
        if (!vector.isNull(i)) {
          long index = indices.getValueAsLong(i);
          if (index < 0 || index >= size) {
            throw new IllegalArgumentException("the dictionary index " + index + " at position " + i + " of column "
                + vector.getName() + " is outside its dictionary of " + size + " values");
          }
        }
      }
    }
    for (FieldVector child : vector.getChildrenFromFields()) {
      checkDictionaryIndices(child, dictionaries);
    }
  }

  /** Arrow's check of buffer sizes, with string views checked here (Arrow's refuses them outright). */
  private static final class Buffers extends ValidateVectorBufferVisitor {
    @Override
    public Void visit(BaseVariableWidthViewVector vector, Void value) {
      int count = vector.getValueCount();
      need(vector.getValidityBuffer(), (count + 7L) / 8, "validity", vector);
      ArrowBuf views = vector.getDataBuffer();
      need(views, (long) count * BaseVariableWidthViewVector.ELEMENT_SIZE, "view", vector);
      List<ArrowBuf> data = vector.getDataBuffers();
      for (int i = 0; i < count; i++) {
        if (vector.isNull(i)) {
          continue;
        }
        long at = (long) i * BaseVariableWidthViewVector.ELEMENT_SIZE;
        int length = views.getInt(at);
        if (length < 0) {
          throw new IllegalArgumentException("the length of value " + i + " of column " + vector.getName()
              + " is negative");
        }
        if (length > BaseVariableWidthViewVector.INLINE_SIZE) {
          int buffer = views.getInt(at + BaseVariableWidthViewVector.LENGTH_WIDTH + BaseVariableWidthViewVector.PREFIX_WIDTH);
          int offset = views.getInt(at + BaseVariableWidthViewVector.LENGTH_WIDTH
              + BaseVariableWidthViewVector.PREFIX_WIDTH + BaseVariableWidthViewVector.BUF_INDEX_WIDTH);
          if (buffer < 0 || buffer >= data.size() || offset < 0 || (long) offset + length > data.get(buffer).capacity()) {
            throw new IllegalArgumentException("value " + i + " of column " + vector.getName()
                + " points outside its data buffers");
          }
        }
      }
      return null;
    }

    private static void need(ArrowBuf buffer, long bytes, String which, ValueVector vector) {
      if (buffer == null || buffer.capacity() < bytes) {
        throw new IllegalArgumentException("the " + which + " buffer of column " + vector.getName() + " holds "
            + (buffer == null ? 0 : buffer.capacity()) + " bytes, fewer than the " + bytes + " its length needs");
      }
    }
  }

  /** Arrow's check of offsets and child vectors, without decoding the values themselves. */
  private static final class Offsets extends ValidateVectorDataVisitor {
    @Override
    public Void visit(BaseFixedWidthVector vector, Void value) {
      return null;
    }

    @Override
    public Void visit(BaseVariableWidthVector vector, Void value) {
      inOrder(vector, vector.getOffsetBuffer(), BaseVariableWidthVector.OFFSET_WIDTH);
      return null;
    }

    @Override
    public Void visit(BaseLargeVariableWidthVector vector, Void value) {
      inOrder(vector, vector.getOffsetBuffer(), BaseLargeVariableWidthVector.OFFSET_WIDTH);
      return null;
    }

    @Override
    public Void visit(BaseVariableWidthViewVector vector, Void value) {
      return null; // checked with the buffers
    }

    /** Non-negative and non-decreasing: with the last inside the data buffer (checked before), all are. */
    private static void inOrder(ValueVector vector, ArrowBuf offsets, int width) {
      int count = vector.getValueCount();
      if (count == 0) {
        return;
      }
      long previous = width == 4 ? offsets.getInt(0) : offsets.getLong(0);
      if (previous < 0) {
        throw new IllegalArgumentException("the first offset of column " + vector.getName() + " is negative");
      }
      for (int i = 1; i <= count; i++) {
        long next = width == 4 ? offsets.getInt((long) i * 4) : offsets.getLong((long) i * 8);
        if (next < previous) {
          throw new IllegalArgumentException("the offsets of column " + vector.getName() + " decrease at position " + i
              + ": " + previous + ", then " + next);
        }
        previous = next;
      }
    }
  }
}
