package dev.tarn.executor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VariableWidthFieldVector;
import org.apache.arrow.vector.ViewVarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batches whose lengths, offsets, views or dictionary indices point outside their buffers are refused. */
class UntrustedArrowTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    allocator.close();
  }

  private static final List<String> WORDS = List.of("a", "bb", "a string longer than twelve bytes", "dddd");

  /** Checks a batch of {@code vector} after {@code spoil}; returns the refusal's message, or null when accepted. */
  private String check(FieldVector vector, Consumer<FieldVector> spoil, DictionaryProvider dictionaries) {
    try (VectorSchemaRoot batch = new VectorSchemaRoot(List.of(vector.getField()), List.of(vector), vector.getValueCount())) {
      spoil.accept(vector);
      UntrustedArrow.check(batch, dictionaries, "the batch");
      return null;
    } catch (EngineException e) {
      assertTrue(e.getMessage().startsWith("the batch is not valid Arrow: "), e.getMessage());
      return e.getMessage();
    }
  }

  private VarCharVector words() {
    return words(new VarCharVector("s", allocator));
  }

  /** {@code vector} holding {@link #WORDS}. */
  private static <V extends VariableWidthFieldVector> V words(V vector) {
    vector.allocateNew();
    for (int i = 0; i < WORDS.size(); i++) {
      vector.setSafe(i, WORDS.get(i).getBytes(StandardCharsets.UTF_8));
    }
    vector.setValueCount(WORDS.size());
    return vector;
  }

  @Test
  void stringOffsetsMustBeInOrderAndInsideTheirBuffer() {
    assertTrue(check(words(), v -> { }, null) == null, "a well-formed batch passes");
    assertTrue(check(words(), v -> ((VarCharVector) v).getOffsetBuffer().setInt(8, 100_000_000), null)
        .contains("decrease"));
    assertTrue(check(words(), v -> ((VarCharVector) v).getOffsetBuffer().setInt(0, -4), null).contains("negative"));
    assertTrue(check(words(), v -> ((VarCharVector) v).getOffsetBuffer().setInt(16, 1 << 30), null) != null,
        "the last offset past the data buffer");
  }

  @Test
  void largeStringOffsetsToo() {
    LargeVarCharVector v = words(new LargeVarCharVector("s", allocator));
    assertTrue(check(v, x -> ((LargeVarCharVector) x).getOffsetBuffer().setLong(16, 1L << 40), null).contains("decrease"));
  }

  @Test
  void aStringViewMustPointInsideItsDataBuffers() {
    assertTrue(check(words(new ViewVarCharVector("s", allocator)), x -> { }, null) == null,
        "a well-formed view vector passes");
    ViewVarCharVector spoilt = words(new ViewVarCharVector("s", allocator));
    // the long value's view: length, prefix, buffer index, offset; move its offset far away
    assertTrue(check(spoilt, x -> ((ViewVarCharVector) x).getDataBuffer().setInt(2 * 16 + 12, 1 << 29), null)
        .contains("points outside"));
  }

  @Test
  void listOffsetsMustStayInsideTheirChild() {
    ListVector list = ints(ListVector.empty("l", allocator));
    assertTrue(check(list, x -> ((ListVector) x).getOffsetBuffer().setInt(4, 1 << 20), null) != null);
  }

  @Test
  void aListsFirstOffsetMustNotBeNegative() {
    ListVector list = ints(ListVector.empty("l", allocator));
    assertTrue(check(list, x -> ((ListVector) x).getOffsetBuffer().setInt(0, -1), null).contains("first offset"));
    LargeListVector large = LargeListVector.empty("l", allocator);
    large.allocateNew();
    org.apache.arrow.vector.complex.impl.UnionLargeListWriter writer = large.getWriter();
    for (int i = 0; i < 2; i++) {
      writer.setPosition(i);
      writer.startList();
      writer.integer().writeInt(i);
      writer.endList();
    }
    large.setValueCount(2);
    assertTrue(check(large, x -> ((LargeListVector) x).getOffsetBuffer().setLong(0, -1), null).contains("first offset"));
  }

  @Test
  void aFixedSizeListNeedsItsValuesWithoutOverflow() {
    FixedSizeListVector fixed = FixedSizeListVector.empty("f", 2, allocator);
    fixed.addOrGetVector(FieldType.nullable(new ArrowType.Int(32, true)));
    fixed.allocateNew();
    IntVector values = (IntVector) fixed.getDataVector();
    for (int i = 0; i < 6; i++) {
      values.setSafe(i, i);
    }
    values.setValueCount(6);
    for (int i = 0; i < 3; i++) {
      fixed.setNotNull(i);
    }
    fixed.setValueCount(3);
    assertTrue(check(fixed, x -> { }, null) == null, "a well-formed fixed-size list passes");
    FixedSizeListVector short_ = FixedSizeListVector.empty("f", 2, allocator);
    short_.addOrGetVector(FieldType.nullable(new ArrowType.Int(32, true)));
    short_.allocateNew();
    short_.setValueCount(3); // which gives the child 6 values: take 2 back, as a reader trusting a sender would
    assertTrue(check(short_, x -> ((FixedSizeListVector) x).getDataVector().setValueCount(4), null)
        .contains("needs 6 values"));
  }

  @Test
  void listViewsAndRunEndsArePlacedInsideTheirValues() {
    org.apache.arrow.vector.complex.RunEndEncodedVector runs = runs(new int[] {2, 5}, 5);
    assertTrue(check(runs, x -> { }, null) == null, "well-formed runs pass");
    assertTrue(check(runs(new int[] {2, 5}, 5), x -> ((IntVector) ((org.apache.arrow.vector.complex.RunEndEncodedVector) x)
        .getRunEndsVector()).set(1, 1), null).contains("do not rise"));
    assertTrue(check(runs(new int[] {2, 3}, 5), x -> { }, null).contains("before its 5 values"));
  }

  /** A run-end encoded int column of {@code length} values, runs ending at {@code ends}, the values 10, 20... */
  private org.apache.arrow.vector.complex.RunEndEncodedVector runs(int[] ends, int length) {
    IntVector runEnds = new IntVector("run_ends", FieldType.notNullable(new ArrowType.Int(32, true)), allocator);
    IntVector values = new IntVector("values", allocator);
    runEnds.allocateNew(ends.length);
    values.allocateNew(ends.length);
    for (int i = 0; i < ends.length; i++) {
      runEnds.set(i, ends[i]);
      values.set(i, 10 * (i + 1));
    }
    runEnds.setValueCount(ends.length);
    values.setValueCount(ends.length);
    org.apache.arrow.vector.types.pojo.Field field = new org.apache.arrow.vector.types.pojo.Field("r",
        FieldType.nullable(ArrowType.RunEndEncoded.INSTANCE), List.of(runEnds.getField(), values.getField()));
    org.apache.arrow.vector.complex.RunEndEncodedVector vector =
        new org.apache.arrow.vector.complex.RunEndEncodedVector(field, allocator, runEnds, values, null);
    vector.setValueCount(length);
    return vector;
  }

  /** A list column of three one-element lists. */
  private static ListVector ints(ListVector list) {
    UnionListWriter writer = list.getWriter();
    for (int i = 0; i < 3; i++) {
      writer.setPosition(i);
      writer.startList();
      writer.integer().writeInt(i);
      writer.endList();
    }
    list.setValueCount(3);
    return list;
  }

  @Test
  void dictionaryIndicesMustBeInsideTheirDictionary() {
    VarCharVector values = words();
    DictionaryEncoding encoding = new DictionaryEncoding(1L, false, new ArrowType.Int(32, true));
    Dictionary dictionary = new Dictionary(values, encoding);
    DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider(dictionary);
    try {
      IntVector indices = new IntVector("d", new FieldType(true, new ArrowType.Int(32, true), encoding), allocator);
      indices.allocateNew(3);
      indices.set(0, 0);
      indices.set(1, 3);
      indices.setNull(2);
      indices.setValueCount(3);
      assertTrue(check(indices, x -> ((IntVector) x).set(1, 4), provider).contains("outside its dictionary"));
      IntVector fine = new IntVector("d", new FieldType(true, new ArrowType.Int(32, true), encoding), allocator);
      fine.allocateNew(1);
      fine.set(0, 3);
      fine.setValueCount(1);
      assertTrue(check(fine, x -> { }, provider) == null);
      IntVector orphan = new IntVector("d", new FieldType(true, new ArrowType.Int(32, true), encoding), allocator);
      orphan.allocateNew(1);
      orphan.setValueCount(1);
      assertTrue(check(orphan, x -> { }, null).contains("was not sent"));
    } finally {
      values.close();
    }
  }
}
