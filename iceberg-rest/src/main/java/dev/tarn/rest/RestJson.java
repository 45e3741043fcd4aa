package dev.tarn.rest;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.apache.iceberg.rest.RESTSerializers;

/**
 * JSON as Iceberg's REST protocol writes it: Iceberg's own serializers for its request and response
 * types (registered by {@link RESTSerializers}), kebab-case field names for the rest, unknown fields
 * ignored (newer clients send more), as Iceberg's own REST client configures its mapper.
 */
final class RestJson {
  private static final ObjectMapper MAPPER = mapper();

  private RestJson() {}

  private static ObjectMapper mapper() {
    ObjectMapper mapper = new ObjectMapper();
    // Iceberg's simpler response types (lists, namespaces) are plain fields, no getters
    mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);
    RESTSerializers.registerAll(mapper);
    return mapper;
  }

  static <T> T read(byte[] body, Class<T> type) {
    try {
      // every request body of the protocol is a JSON object; Iceberg's parsers take other roots as empty
      com.fasterxml.jackson.databind.JsonNode root = MAPPER.readTree(body);
      if (root == null || !root.isObject()) {
        throw new BadRequest("the request body is not a valid " + type.getSimpleName() + ": expected a JSON object, got "
            + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
      }
      return MAPPER.treeToValue(root, type);
    } catch (BadRequest e) {
      throw e;
    } catch (java.io.IOException | RuntimeException e) {
      throw new BadRequest("the request body is not a valid " + type.getSimpleName() + ": "
          + rootMessage(e));
    }
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    // Jackson quotes the whole input in its messages; a long body must not come back whole
    return message.length() > 300 ? message.substring(0, 300) + "..." : message;
  }
}
