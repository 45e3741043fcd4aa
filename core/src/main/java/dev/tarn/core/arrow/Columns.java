package dev.tarn.core.arrow;

import java.util.List;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** The nullable columns Tarn's commands answer with, for their fixed result schemas. */
public final class Columns {
  private Columns() {}

  public static Schema schema(Field... fields) {
    return new Schema(List.of(fields));
  }

  public static Field text(String name) {
    return new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
  }

  public static Field bigint(String name) {
    return new Field(name, FieldType.nullable(new ArrowType.Int(64, true)), null);
  }

  public static Field bool(String name) {
    return new Field(name, FieldType.nullable(ArrowType.Bool.INSTANCE), null);
  }

  /** An instant, in microseconds, in UTC. */
  public static Field timestamp(String name) {
    return new Field(name, FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")), null);
  }

  public static Field textList(String name) {
    return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE),
        List.of(new Field("item", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
  }
}
