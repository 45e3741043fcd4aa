package dev.tarn.core.arrow;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Refuses an upload whose column names, or the field names of a struct inside a column, repeat.
 * Arrow allows repeated names; DuckDB would rename the second column ({@code a_1}), a silent change
 * of what the client sent. DuckDB compares names without regard to ASCII case, so {@code a} and
 * {@code A} are the same name too.
 */
final class DistinctNames {
  private DistinctNames() {}

  static void check(Schema schema) {
    Map<String, String> seen = new HashMap<>();
    for (Field field : schema.getFields()) {
      String earlier = seen.putIfAbsent(key(field.getName()), field.getName());
      if (earlier != null) {
        throw new EngineException(Reason.INVALID, "column name " + quoted(field.getName()) + " appears twice in the"
            + " upload" + asWritten(earlier, field.getName()) + ": DuckDB would rename one of them. Give every column"
            + " its own name (DuckDB compares names without regard to ASCII case)");
      }
    }
    for (Field field : schema.getFields()) {
      checkNested(field.getName(), null, field);
    }
  }

  /** Struct field names inside a column; {@code path} says where in the column (null at the top). */
  private static void checkNested(String column, String path, Field field) {
    if (field.getType().getTypeID() == ArrowType.ArrowTypeID.Struct) {
      Map<String, String> seen = new HashMap<>();
      for (Field child : field.getChildren()) {
        String earlier = seen.putIfAbsent(key(child.getName()), child.getName());
        if (earlier != null) {
          throw new EngineException(Reason.INVALID, "column " + quoted(column) + (path == null ? "" : " (" + path + ")")
              + " is a struct with the field name " + quoted(child.getName()) + " twice"
              + asWritten(earlier, child.getName()) + ": a struct's fields need distinct names (compared without"
              + " regard to ASCII case)");
        }
      }
      for (Field child : field.getChildren()) {
        checkNested(column, join(path, "field " + quoted(child.getName())), child);
      }
      return;
    }
    List<Field> children = field.getChildren();
    for (Field child : children) {
      checkNested(column, join(path, childName(field, child)), child);
    }
  }

  private static String childName(Field parent, Field child) {
    return switch (parent.getType().getTypeID()) {
      case List, LargeList, FixedSizeList, ListView, LargeListView -> "list element";
      case Map -> "map entries";
      case RunEndEncoded -> "run-end encoded values";
      default -> quoted(child.getName());
    };
  }

  private static String join(String path, String child) {
    return path == null ? child : path + ", " + child;
  }

  private static String asWritten(String earlier, String later) {
    return earlier.equals(later) ? "" : " (as " + quoted(earlier) + " and " + quoted(later) + ")";
  }

  /** DuckDB folds ASCII letters only: {@code a} and {@code A} are one name, {@code é} and {@code É} two. */
  private static String key(String name) {
    StringBuilder folded = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return folded.toString();
  }

  private static String quoted(String name) {
    StringBuilder out = new StringBuilder("\"");
    name.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.append('"').toString();
  }
}
