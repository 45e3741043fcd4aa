package dev.tarn.core.lakehouse;

import java.util.List;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** The fixed result schemas of Tarn's SHOW and MERGE statements, as the SQL spec names their columns. */
final class ResultSchemas {
  private ResultSchemas() {}

  static final Schema REFERENCES = schema(
      text("name"), text("type"), text("commit_hash"), timestamp("committed_at"));

  static final Schema LOG = schema(
      text("commit_hash"), text("parent_hash"), text("author"), timestamp("committed_at"), text("message"),
      textList("tables_changed"));

  static final Schema MERGE = schema(text("target"), text("commit_hash"), textList("tables_changed"));

  static final Schema MERGE_DRY_RUN = schema(
      text("target"), text("source"), bool("would_apply"), text("common_ancestor"), textList("tables_changed"),
      textList("conflicts"));

  static final Schema DIFF = schema(text("table_name"), text("change"));

  private static Schema schema(Field... fields) {
    return new Schema(List.of(fields));
  }

  private static Field text(String name) {
    return new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
  }

  private static Field bool(String name) {
    return new Field(name, FieldType.nullable(ArrowType.Bool.INSTANCE), null);
  }

  private static Field timestamp(String name) {
    return new Field(name, FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")), null);
  }

  private static Field textList(String name) {
    return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE),
        List.of(new Field("item", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
  }
}
