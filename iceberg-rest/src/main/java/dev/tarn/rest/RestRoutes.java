package dev.tarn.rest;

import dev.tarn.catalog.BranchCatalog;
import dev.tarn.core.lakehouse.Lakehouse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;

/**
 * The routes of Iceberg's REST catalog protocol this server answers, with the prefix naming the Tarn
 * reference: {@code GET /v1/config?warehouse=dev} tells a client its prefix is {@code dev}, and it
 * then talks to {@code /v1/dev/namespaces/...}. Parses paths and bodies, asks {@link
 * RestAuthenticator} who calls, and hands the work to {@link ReferenceTables}.
 */
final class RestRoutes {
  /** Iceberg's separator of namespace levels in a path segment or query value (0x1F, URL-encoded). */
  private static final Pattern LEVEL_SEPARATOR = Pattern.compile("%1[Ff]");
  private static final List<Endpoint> ENDPOINTS = List.of(
      Endpoint.V1_LIST_NAMESPACES, Endpoint.V1_LOAD_NAMESPACE, Endpoint.V1_NAMESPACE_EXISTS,
      Endpoint.V1_CREATE_NAMESPACE, Endpoint.V1_DELETE_NAMESPACE,
      Endpoint.V1_LIST_TABLES, Endpoint.V1_LOAD_TABLE, Endpoint.V1_TABLE_EXISTS, Endpoint.V1_CREATE_TABLE,
      Endpoint.V1_UPDATE_TABLE, Endpoint.V1_DELETE_TABLE, Endpoint.V1_COMMIT_TRANSACTION,
      Endpoint.V1_REPORT_METRICS);

  private final Lakehouse lakehouse;
  private final RestAuthenticator auth;

  RestRoutes(Lakehouse lakehouse, RestAuthenticator auth) {
    this.lakehouse = lakehouse;
    this.auth = auth;
  }

  /** One HTTP request as the routes need it. */
  record Request(String method, String rawPath, String rawQuery, String authorization, String userAgent,
      String clientVersion, String clientAddress, byte[] body) {}

  /** The status and JSON body of an answer; a null body sends none (204, HEAD). */
  record Answer(int code, byte[] body) {
    static Answer json(Object response) {
      return new Answer(200, RestJson.write(response));
    }

    static Answer noContent() {
      return new Answer(204, null);
    }
  }

  Answer answer(Request request, RequestAudit audit) {
    List<String> path = segments(request.rawPath());
    if (path.size() < 2 || !path.get(0).equals("v1")) {
      throw RestStatus.notFound("NotFoundException", "no Iceberg REST route " + request.rawPath()
          + " here: routes start with /v1/");
    }
    List<String> rest = path.subList(1, path.size());
    if (rest.equals(List.of("oauth", "tokens"))) {
      requireMethod(request, "POST");
      try {
        return Answer.json(auth.exchange(
            RESTUtil.decodeFormData(new String(request.body(), StandardCharsets.UTF_8)), request.clientAddress()));
      } catch (RestStatus e) {
        return oauthError(e);
      }
    }
    Caller caller = new Caller(auth.userOf(request.authorization()),
        EngineNames.of(request.userAgent(), request.clientVersion()));
    audit.caller(caller);
    if (rest.equals(List.of("config"))) {
      requireMethod(request, "GET");
      return config(caller, query(request.rawQuery()).get("warehouse"));
    }
    audit.reference(decode(rest.get(0)));
    ReferenceTables tables = ReferenceTables.open(lakehouse, caller, decode(rest.get(0)));
    return route(request, tables, rest.subList(1, rest.size()));
  }

  private Answer config(Caller caller, String warehouse) {
    String reference = warehouse == null || warehouse.isBlank() ? BranchCatalog.DEFAULT_BRANCH : warehouse.strip();
    ReferenceTables.open(lakehouse, caller, reference);
    return Answer.json(ConfigResponse.builder()
        .withOverride("prefix", RESTUtil.encodeString(reference))
        .withEndpoints(ENDPOINTS)
        .build());
  }

  private Answer route(Request request, ReferenceTables tables, List<String> p) {
    String method = request.method();
    if (p.equals(List.of("namespaces"))) {
      if (method.equals("GET")) {
        String parent = query(request.rawQuery()).get("parent");
        return Answer.json(tables.listNamespaces(parent == null ? Namespace.empty() : namespaceOf(parent)));
      }
      requireMethod(request, "POST");
      return Answer.json(tables.createNamespace(RestJson.read(request.body(), CreateNamespaceRequest.class)));
    }
    if (p.equals(List.of("transactions", "commit"))) {
      requireMethod(request, "POST");
      tables.commitTransaction(RestJson.read(request.body(), CommitTransactionRequest.class));
      return Answer.noContent();
    }
    if (p.equals(List.of("tables", "rename"))) {
      throw RestStatus.unsupported("Tarn cannot rename tables yet: create the new table and drop the old one");
    }
    if (p.size() >= 2 && p.get(0).equals("namespaces")) {
      Namespace namespace = namespaceOf(p.get(1));
      List<String> under = p.subList(2, p.size());
      if (under.isEmpty()) {
        switch (method) {
          case "GET":
            return Answer.json(tables.loadNamespace(namespace));
          case "HEAD":
            tables.loadNamespace(namespace);
            return Answer.noContent();
          case "DELETE":
            tables.dropNamespace(namespace);
            return Answer.noContent();
          default:
            throw notAllowed(request, "GET, HEAD, DELETE");
        }
      }
      if (under.equals(List.of("properties"))) {
        throw RestStatus.unsupported("Tarn's namespaces have no properties to set");
      }
      if (under.equals(List.of("register"))) {
        throw RestStatus.unsupported("Tarn does not register tables from outside: create the table here and"
            + " append its files");
      }
      if (under.equals(List.of("tables"))) {
        if (method.equals("GET")) {
          return Answer.json(tables.listTables(namespace));
        }
        requireMethod(request, "POST");
        return Answer.json(tables.createTable(namespace, RestJson.read(request.body(), CreateTableRequest.class)));
      }
      if (under.size() >= 2 && under.get(0).equals("tables")) {
        String table = decode(under.get(1));
        if (under.size() == 3 && under.get(2).equals("metrics")) {
          // scan and commit reports: accepted, not kept (Tarn's own metrics cover its work)
          requireMethod(request, "POST");
          return Answer.noContent();
        }
        if (under.size() == 2) {
          switch (method) {
            case "GET":
              return Answer.json(tables.loadTable(namespace, table));
            case "HEAD":
              tables.requireTable(namespace, table);
              return Answer.noContent();
            case "POST":
              return Answer.json(tables.updateTable(namespace, table,
                  RestJson.read(request.body(), UpdateTableRequest.class)));
            case "DELETE":
              tables.dropTable(namespace, table);
              return Answer.noContent();
            default:
              throw notAllowed(request, "GET, HEAD, POST, DELETE");
          }
        }
      }
    }
    throw RestStatus.notFound("NotFoundException", "no Iceberg REST route " + request.method() + " "
        + request.rawPath() + " on this Tarn server (views, renames and scan planning are not served)");
  }

  private static Answer oauthError(RestStatus e) {
    // OAuth2 (RFC 6749) errors have their own shape: {"error": ..., "error_description": ...}
    Map<String, String> body = new HashMap<>();
    body.put("error", e.code() == 401 ? "invalid_client" : e.type());
    body.put("error_description", e.getMessage());
    try {
      return new Answer(e.code() == 401 ? 401 : 400,
          new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static void requireMethod(Request request, String method) {
    if (!request.method().equals(method)) {
      throw notAllowed(request, method);
    }
  }

  private static RestStatus notAllowed(Request request, String allowed) {
    return new RestStatus(405, "BadRequestException", request.method() + " is not allowed on "
        + request.rawPath() + " (allowed: " + allowed + ")");
  }

  private static List<String> segments(String rawPath) {
    return Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty()).toList();
  }

  private static Namespace namespaceOf(String raw) {
    return Namespace.of(LEVEL_SEPARATOR.splitAsStream(raw).map(RestRoutes::decode).toArray(String[]::new));
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("cannot decode the path or query part " + raw + ": " + e.getMessage());
    }
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> values = new HashMap<>();
    if (rawQuery == null) {
      return values;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      // a namespace parameter keeps its raw form: its levels are split before decoding
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      values.put(key, key.equals("parent") ? value : decode(value));
    }
    return values;
  }
}
