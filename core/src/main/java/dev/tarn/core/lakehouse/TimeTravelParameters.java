package dev.tarn.core.lakehouse;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.StatementDescription;
import dev.tarn.sql.PointInTimeParameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The parameters of a bound statement that Tarn took for itself: time-travel parameters, whose
 * clauses the binder replaced with views, so the text DuckDB runs has one {@code ?} fewer for each.
 * Clients still bind every parameter at its place; the two lists are reconciled here.
 *
 * @param taken the time-travel parameters, in order of their place
 * @param markers how many {@code ?} markers the client's statement holds, taken ones included
 */
record TimeTravelParameters(List<PointInTimeParameter> taken, int markers) {
  /** No parameter taken: the engine sees the client's parameters as they are. */
  static final TimeTravelParameters NONE = new TimeTravelParameters(List.of(), 0);

  TimeTravelParameters {
    taken = taken.stream().sorted(Comparator.comparingInt(PointInTimeParameter::index)).toList();
  }

  /** The values DuckDB binds: the client's, without the time-travel ones. */
  List<Object> engineValues(List<Object> values) {
    if (taken.isEmpty()) {
      return values;
    }
    List<Object> engine = new ArrayList<>(values);
    for (int i = taken.size() - 1; i >= 0; i--) {
      int index = taken.get(i).index();
      if (index < engine.size()) {
        engine.remove(index);
      }
    }
    return engine;
  }

  /**
   * The description clients see: DuckDB's, with each time-travel parameter back at its place,
   * declared as a timestamp ({@code AT TIMESTAMP ?}; a string is accepted too) or a string
   * ({@code AT COMMIT ?}).
   *
   * @throws EngineException when DuckDB counts other parameters than Tarn's grammar did: numbered or
   *     named parameters ({@code $1}, {@code $name}) have no place among {@code ?} markers
   */
  StatementDescription describe(StatementDescription engine) {
    if (taken.isEmpty()) {
      return engine;
    }
    List<Field> engineFields = engine.parameterSchema().getFields();
    if (engineFields.size() != markers - taken.size()) {
      throw new EngineException(Reason.INVALID, "a time-travel parameter (" + taken.get(0).pin().clause()
          + ") cannot be mixed with numbered or named parameters ($1, $name): write every parameter as ?");
    }
    List<Field> fields = new ArrayList<>(markers);
    int next = 0;
    int nextTaken = 0;
    for (int place = 0; place < markers; place++) {
      String name = "p" + (place + 1);
      if (nextTaken < taken.size() && taken.get(nextTaken).index() == place) {
        fields.add(new Field(name, FieldType.nullable(declaredType(taken.get(nextTaken).pin())), null));
        nextTaken++;
      } else {
        Field field = engineFields.get(next++);
        fields.add(new Field(name, field.getFieldType(), field.getChildren()));
      }
    }
    return new StatementDescription(engine.returnsRows(), engine.resultSchema(), new Schema(fields));
  }

  /**
   * What clients are told to bind. Timestamps in milliseconds, as for every timestamp parameter
   * (the Flight SQL JDBC driver writes milliseconds whatever the declared unit).
   */
  private static ArrowType declaredType(PointInTimeParameter.Pin pin) {
    return switch (pin) {
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MILLISECOND, null);
      case COMMIT -> ArrowType.Utf8.INSTANCE;
    };
  }
}
