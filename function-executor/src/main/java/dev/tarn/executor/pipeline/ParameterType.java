package dev.tarn.executor.pipeline;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The declared type of a run parameter ({@code type:} of a parameter in the project file), named as
 * Python names them. A value given as text (a {@code WITH (param.x = '3')} option, a {@code --param
 * x=3}, a YAML default) or as a JSON number or boolean is converted to the Java value the model
 * receives: {@code int} a Long, {@code float} a Double, {@code bool} a Boolean, {@code str} and
 * {@code secret} a String.
 */
public enum ParameterType {
  INT("int"),
  FLOAT("float"),
  BOOL("bool"),
  STR("str"),
  SECRET("secret");

  private final String declared;

  ParameterType(String declared) {
    this.declared = declared;
  }

  /** The name the project file uses: {@code int}, {@code float}, {@code bool}, {@code str}, {@code secret}. */
  public String declared() {
    return declared;
  }

  /** The type a project file names, or null when it names none of them. */
  public static ParameterType named(String name) {
    for (ParameterType t : values()) {
      if (t.declared.equals(name.strip().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    return null;
  }

  public static String names() {
    return Arrays.stream(values()).map(ParameterType::declared).collect(Collectors.joining(", "));
  }

  /**
   * The value as this type: a Long, Double, Boolean or String (null stays null).
   *
   * @param parameter the parameter's name, for the error
   * @throws IllegalArgumentException naming the parameter, the type and the value when it does not fit
   */
  public Object convert(String parameter, Object value) {
    if (value == null) {
      return null;
    }
    Object converted = switch (this) {
      case INT -> toLong(value);
      case FLOAT -> toDouble(value);
      case BOOL -> toBoolean(value);
      case STR, SECRET -> value instanceof String || value instanceof Number || value instanceof Boolean
          ? plainText(value) : null;
    };
    if (converted == null) {
      throw new IllegalArgumentException("parameter '" + parameter + "' is declared " + declared + ", and "
          + shown(value) + " is not " + article() + " " + declared + hint());
    }
    return converted;
  }

  private String article() {
    return this == INT ? "an" : "a";
  }

  private String hint() {
    return switch (this) {
      case INT -> " (a whole number such as 42 or -7)";
      case FLOAT -> " (a finite number such as 3.5 or 1e-3)";
      case BOOL -> " (true or false)";
      default -> "";
    };
  }

  private static String shown(Object value) {
    String text = String.valueOf(value);
    if (text.length() > 80) {
      text = text.substring(0, 80) + "...";
    }
    return value instanceof String ? "'" + text + "'" : text + " (" + value.getClass().getSimpleName() + ")";
  }

  private static String plainText(Object value) {
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return value.toString();
  }

  private static Long toLong(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    BigDecimal number;
    if (value instanceof BigInteger b) {
      number = new BigDecimal(b);
    } else if (value instanceof BigDecimal d) {
      number = d;
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        return null;
      }
      number = BigDecimal.valueOf(d);
    } else if (value instanceof String s && s.strip().matches("[+-]?[0-9][0-9_]*")) {
      number = new BigDecimal(s.strip().replace("_", ""));
    } else {
      return null;
    }
    try {
      return number.stripTrailingZeros().scale() > 0 ? null : number.longValueExact();
    } catch (ArithmeticException outOfRange) {
      return null;
    }
  }

  private static Double toDouble(Object value) {
    double d;
    if (value instanceof Number n && !(value instanceof Boolean)) {
      d = n.doubleValue();
    } else if (value instanceof String s && s.strip().matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
      d = Double.parseDouble(s.strip());
    } else {
      return null;
    }
    return Double.isFinite(d) ? d : null;
  }

  private static Boolean toBoolean(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> null;
      };
    }
    return null;
  }
}
