package dev.tarn.executor;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compare.VectorVisitor;
import org.apache.arrow.vector.complex.DenseUnionVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.LargeListViewVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.ListViewVector;
import org.apache.arrow.vector.complex.NonNullableStructVector;
import org.apache.arrow.vector.complex.RunEndEncodedVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.complex.UnionVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;

/**
 * Checks Arrow data that came from outside the server (a client's upload or parameters, a model's
 * output file) before anything reads it. Such data carries its own lengths, offsets, sizes, run ends
 * and dictionary indices, and DuckDB reads Arrow through the C data interface without bounds checks:
 * a string's offset past its buffer would read the server's memory or end its process, and some
 * values DuckDB cannot cast make it invalidate its database for every session.
 *
 * <p>What is checked is what reading the data safely needs, for every layout: each buffer holds what
 * the declared length needs; offsets start at or after zero and never decrease, so they stay inside
 * their data; list views and string views point inside their buffers; children are long enough; run
 * ends rise from one and cover the column; dictionary indices fall inside their dictionaries. Values
 * themselves (UTF-8, decimal precision) are left to the engine, which refuses bad ones cleanly:
 * Arrow's own full validation decodes every string, which costs more than reading the batch, and
 * misses the first offset of a list.
 */
public final class UntrustedArrow {
  private UntrustedArrow() {}

  /**
   * @param dictionaries those of the batch's dictionary-encoded columns, or null when the batch has none
   * @throws EngineException INVALID naming {@code what} and the first defect found
   */
  public static void check(VectorSchemaRoot batch, DictionaryProvider dictionaries, String what) {
    try {
      Set<Long> dictionariesChecked = new HashSet<>();
      for (FieldVector vector : batch.getFieldVectors()) {
        if (vector.getValueCount() != batch.getRowCount()) {
          throw new IllegalArgumentException("column " + vector.getName() + " has " + vector.getValueCount()
              + " values in a batch of " + batch.getRowCount() + " rows");
        }
        checkVector(vector, dictionaries, dictionariesChecked);
      }
    } catch (RuntimeException e) {
      String why = e instanceof IllegalArgumentException && e.getMessage() != null ? e.getMessage() : e.toString();
      throw new EngineException(EngineException.Reason.INVALID, what + " is not valid Arrow: " + why, e);
    }
  }

  private static void checkVector(FieldVector vector, DictionaryProvider dictionaries, Set<Long> dictionariesChecked) {
    vector.accept(Layout.INSTANCE, null);
    checkDictionaryIndices(vector, dictionaries, dictionariesChecked);
  }

  /** Indices of dictionary-encoded columns, nested ones included, inside their dictionaries (each checked once). */
  private static void checkDictionaryIndices(FieldVector vector, DictionaryProvider dictionaries,
      Set<Long> dictionariesChecked) {
    DictionaryEncoding encoding = vector.getField().getDictionary();
    if (encoding != null) {
      Dictionary dictionary = dictionaries == null ? null : dictionaries.lookup(encoding.getId());
      if (dictionary == null) {
        throw new IllegalArgumentException("the dictionary of column " + vector.getName() + " was not sent");
      }
      if (dictionariesChecked.add(encoding.getId())) {
        checkVector(dictionary.getVector(), dictionaries, dictionariesChecked);
      }
      if (!(vector instanceof BaseIntVector indices)) {
        throw new IllegalArgumentException("the indices of column " + vector.getName() + " are not integers");
      }
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
      checkDictionaryIndices(child, dictionaries, dictionariesChecked);
    }
  }

  /** Each layout's buffers against its declared length, then its children. */
  private static final class Layout implements VectorVisitor<Void, Void> {
    static final Layout INSTANCE = new Layout();

    @Override
    public Void visit(BaseFixedWidthVector vector, Void value) {
      int count = count(vector);
      validity(vector, vector.getValidityBuffer(), count);
      long bytes = vector instanceof BitVector ? bitmapBytes(count) : (long) count * vector.getTypeWidth();
      need(vector.getDataBuffer(), bytes, "data", vector);
      return null;
    }

    @Override
    public Void visit(BaseVariableWidthVector vector, Void value) {
      return strings(vector, vector.getValidityBuffer(), vector.getOffsetBuffer(), BaseVariableWidthVector.OFFSET_WIDTH,
          vector.getDataBuffer());
    }

    @Override
    public Void visit(BaseLargeVariableWidthVector vector, Void value) {
      return strings(vector, vector.getValidityBuffer(), vector.getOffsetBuffer(),
          BaseLargeVariableWidthVector.OFFSET_WIDTH, vector.getDataBuffer());
    }

    /** Strings and binaries: offsets of {@code width} bytes into one data buffer. */
    private static Void strings(ValueVector vector, ArrowBuf validity, ArrowBuf offsets, int width, ArrowBuf data) {
      int count = count(vector);
      validity(vector, validity, count);
      need(data, offsets(vector, offsets, width, count), "data", vector);
      return null;
    }

    @Override
    public Void visit(BaseVariableWidthViewVector vector, Void value) {
      int count = count(vector);
      validity(vector, vector.getValidityBuffer(), count);
      ArrowBuf views = vector.getDataBuffer();
      need(views, (long) count * BaseVariableWidthViewVector.ELEMENT_SIZE, "view", vector);
      List<ArrowBuf> data = vector.getDataBuffers();
      for (int i = 0; i < count; i++) { // nulls too: what a reader does with a null's view is its own affair
        long at = (long) i * BaseVariableWidthViewVector.ELEMENT_SIZE;
        int length = views.getInt(at);
        if (length < 0) {
          throw new IllegalArgumentException("value " + i + " of column " + vector.getName() + " has a negative length");
        }
        if (length > BaseVariableWidthViewVector.INLINE_SIZE) {
          long reference = at + BaseVariableWidthViewVector.LENGTH_WIDTH + BaseVariableWidthViewVector.PREFIX_WIDTH;
          int buffer = views.getInt(reference);
          int offset = views.getInt(reference + BaseVariableWidthViewVector.BUF_INDEX_WIDTH);
          if (buffer < 0 || buffer >= data.size() || offset < 0 || (long) offset + length > data.get(buffer).capacity()) {
            throw new IllegalArgumentException("value " + i + " of column " + vector.getName()
                + " points outside its data buffers");
          }
        }
      }
      return null;
    }

    @Override
    public Void visit(ListVector vector, Void value) { // maps too
      return list(vector, vector.getValidityBuffer(), vector.getOffsetBuffer(), ListVector.OFFSET_WIDTH,
          vector.getDataVector());
    }

    @Override
    public Void visit(LargeListVector vector, Void value) {
      return list(vector, vector.getValidityBuffer(), vector.getOffsetBuffer(), LargeListVector.OFFSET_WIDTH,
          vector.getDataVector());
    }

    /** Lists: offsets of {@code width} bytes into one child vector. */
    private Void list(ValueVector vector, ArrowBuf validity, ArrowBuf offsets, int width, FieldVector values) {
      int count = count(vector);
      validity(vector, validity, count);
      return child(vector, values, offsets(vector, offsets, width, count));
    }

    @Override
    public Void visit(FixedSizeListVector vector, Void value) {
      int count = count(vector);
      validity(vector, vector.getValidityBuffer(), count);
      return child(vector, vector.getDataVector(), (long) count * vector.getListSize());
    }

    @Override
    public Void visit(ListViewVector vector, Void value) {
      return listViews(vector, vector.getValidityBuffer(), vector.getOffsetBuffer(), vector.getSizeBuffer(),
          ListViewVector.OFFSET_WIDTH, vector.getDataVector());
    }

    @Override
    public Void visit(LargeListViewVector vector, Void value) {
      return listViews(vector, vector.getValidityBuffer(), vector.getOffsetBuffer(), vector.getSizeBuffer(),
          LargeListViewVector.OFFSET_WIDTH, vector.getDataVector());
    }

    @Override
    public Void visit(NonNullableStructVector vector, Void value) {
      int count = count(vector);
      if (vector instanceof StructVector nullable) {
        validity(vector, nullable.getValidityBuffer(), count);
      }
      for (FieldVector field : vector.getChildrenFromFields()) {
        child(vector, field, count);
      }
      return null;
    }

    @Override
    public Void visit(UnionVector vector, Void value) {
      // A type id naming no child is refused by DuckDB itself, before it reads a value.
      int count = count(vector);
      need(vector.getTypeBuffer(), count, "type", vector);
      for (FieldVector field : vector.getChildrenFromFields()) {
        child(vector, field, count);
      }
      return null;
    }

    @Override
    public Void visit(DenseUnionVector vector, Void value) {
      throw new IllegalArgumentException("column " + vector.getName() + " is a dense union, which Tarn does not take");
    }

    @Override
    public Void visit(RunEndEncodedVector vector, Void value) {
      int count = count(vector);
      FieldVector runEnds = vector.getRunEndsVector();
      runEnds.accept(this, null);
      if (!(runEnds instanceof BaseIntVector ends) || runEnds.getNullCount() > 0) {
        throw new IllegalArgumentException("the run ends of column " + vector.getName() + " are not integers without nulls");
      }
      int runs = runEnds.getValueCount();
      long previous = 0;
      for (int i = 0; i < runs; i++) {
        long end = ends.getValueAsLong(i);
        if (end <= previous) {
          throw new IllegalArgumentException("the run ends of column " + vector.getName() + " do not rise at run " + i);
        }
        previous = end;
      }
      if (count > 0 && previous < count) {
        throw new IllegalArgumentException("the runs of column " + vector.getName() + " end at " + previous
            + ", before its " + count + " values");
      }
      return child(vector, vector.getValuesVector(), runs);
    }

    @Override
    public Void visit(NullVector vector, Void value) {
      count(vector);
      return null;
    }

    @Override
    public Void visit(ExtensionTypeVector<?> vector, Void value) {
      count(vector);
      return vector.getUnderlyingVector().accept(this, null);
    }

    private static int count(ValueVector vector) {
      int count = vector.getValueCount();
      if (count < 0) {
        throw new IllegalArgumentException("column " + vector.getName() + " has a negative length");
      }
      return count;
    }

    private static long bitmapBytes(int count) {
      return (count + 7L) / 8;
    }

    private static void validity(ValueVector vector, ArrowBuf validity, int count) {
      need(validity, bitmapBytes(count), "validity", vector);
    }

    private static void need(ArrowBuf buffer, long bytes, String which, ValueVector vector) {
      long has = buffer == null ? 0 : buffer.capacity();
      if (has < bytes) {
        throw new IllegalArgumentException("the " + which + " buffer of column " + vector.getName() + " holds " + has
            + " bytes, fewer than the " + bytes + " its length needs");
      }
    }

    /** Checks {@code count + 1} offsets of {@code width} bytes: from zero or more, never decreasing. Returns the last. */
    private static long offsets(ValueVector vector, ArrowBuf offsets, int width, int count) {
      if (count == 0) {
        return 0;
      }
      need(offsets, (count + 1L) * width, "offset", vector);
      long previous = read(offsets, 0, width);
      if (previous < 0) {
        throw new IllegalArgumentException("the first offset of column " + vector.getName() + " is negative");
      }
      for (int i = 1; i <= count; i++) {
        long next = read(offsets, i, width);
        if (next < previous) {
          throw new IllegalArgumentException("the offsets of column " + vector.getName() + " decrease at position " + i
              + ": " + previous + ", then " + next);
        }
        previous = next;
      }
      return previous;
    }

    /** List views: an offset and a size of {@code width} bytes each per list, inside one child vector. */
    private Void listViews(ValueVector vector, ArrowBuf validity, ArrowBuf offsets, ArrowBuf sizes, int width,
        FieldVector values) {
      int count = count(vector);
      validity(vector, validity, count);
      need(offsets, (long) count * width, "offset", vector);
      need(sizes, (long) count * width, "size", vector);
      for (int i = 0; i < count; i++) {
        long offset = read(offsets, i, width);
        long size = read(sizes, i, width);
        if (offset < 0 || size < 0 || offset + size > values.getValueCount()) {
          throw new IllegalArgumentException("list " + i + " of column " + vector.getName() + " lies outside its values");
        }
      }
      return child(vector, values, 0); // every list lies inside it, checked above
    }

    private static long read(ArrowBuf buffer, int index, int width) {
      return width == 4 ? buffer.getInt((long) index * 4) : buffer.getLong((long) index * 8);
    }

    /** A child holding at least {@code needed} values, itself checked. */
    private Void child(ValueVector parent, FieldVector child, long needed) {
      if (child.getValueCount() < needed) {
        throw new IllegalArgumentException("column " + parent.getName() + " needs " + needed + " values of its child "
            + child.getName() + ", which has " + child.getValueCount());
      }
      child.accept(this, null);
      return null;
    }
  }
}
