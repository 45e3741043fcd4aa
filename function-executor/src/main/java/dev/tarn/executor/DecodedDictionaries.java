package dev.tarn.executor;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * DuckDB exports {@code ENUM} columns dictionary-encoded. Flight sends dictionaries once, before
 * the first batch, so results carry such columns decoded to their values instead: the schema says
 * {@code utf8}, each batch holds the strings. Clients see what {@code CAST(e AS VARCHAR)} gives.
 */
final class DecodedDictionaries {
  private DecodedDictionaries() {}

  /**
   * Refuses a result holding dictionary-encoded values below its top level (an {@code ENUM} inside a
   * {@code LIST}, {@code STRUCT} or {@code MAP}): they are not decoded, and Flight cannot send them
   * encoded without dictionary messages. The refusal says how to get the values.
   */
  static void refuseNested(Schema schema) {
    for (Field field : schema.getFields()) {
      if (field.getChildren().stream().anyMatch(DecodedDictionaries::holdsDictionary)) {
        throw new EngineException(EngineException.Reason.INVALID, "column " + field.getName()
            + " holds ENUM values inside a LIST, STRUCT or MAP, which Tarn cannot send yet: cast the ENUM"
            + " values to VARCHAR in the query (for a list of ENUMs, ::VARCHAR[])");
      }
    }
  }

  private static boolean holdsDictionary(Field field) {
    return field.getDictionary() != null || field.getChildren().stream().anyMatch(DecodedDictionaries::holdsDictionary);
  }

  static boolean anyIn(Schema schema) {
    return schema.getFields().stream().anyMatch(f -> f.getDictionary() != null);
  }

  /** The schema with every top-level dictionary-encoded field replaced by its values' field. */
  static Schema decodedSchema(Schema schema, DictionaryProvider dictionaries) {
    List<Field> fields = new ArrayList<>();
    for (Field field : schema.getFields()) {
      fields.add(field.getDictionary() == null ? field : valuesField(field, dictionaries));
    }
    return new Schema(fields, schema.getCustomMetadata());
  }

  /** Fills {@code decoded} (of {@link #decodedSchema}) with {@code encoded}'s current batch. */
  static void decodeInto(VectorSchemaRoot encoded, DictionaryProvider dictionaries, VectorSchemaRoot decoded,
      BufferAllocator allocator) {
    for (int i = 0; i < encoded.getFieldVectors().size(); i++) {
      FieldVector source = encoded.getVector(i);
      FieldVector target = decoded.getVector(i);
      if (source.getField().getDictionary() == null) {
        source.makeTransferPair(target).splitAndTransfer(0, source.getValueCount());
        continue;
      }
      Dictionary dictionary = dictionaries.lookup(source.getField().getDictionary().getId());
      try (FieldVector values = (FieldVector) DictionaryEncoder.decode(source, dictionary, allocator)) {
        values.makeTransferPair(target).transfer();
      }
    }
    decoded.setRowCount(encoded.getRowCount());
  }

  private static Field valuesField(Field field, DictionaryProvider dictionaries) {
    Field values = dictionaries.lookup(field.getDictionary().getId()).getVector().getField();
    return new Field(field.getName(), new FieldType(field.isNullable(), values.getType(), null, field.getMetadata()),
        values.getChildren());
  }
}
