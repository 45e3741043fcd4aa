package dev.tarn.catalog.storage;

import dev.tarn.catalog.CatalogException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.HttpClientProperties;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.aws.s3.S3FileIOProperties;
import org.apache.iceberg.io.FileIO;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A warehouse on S3-compatible object storage ({@code s3://bucket/prefix}): Iceberg metadata,
 * manifests and data files are objects written and read through Iceberg's {@link S3FileIO}.
 *
 * <p>{@link #open} checks the bucket before anything else uses it, so a wrong endpoint, wrong
 * credentials or a missing bucket fail at startup with a message naming the warehouse URI.
 */
public final class S3Storage {
  /** How long the startup check waits for the endpoint before calling it unreachable. */
  private static final String PROBE_TIMEOUT_MS = "5000";

  private S3Storage() {}

  /**
   * How to reach the object store.
   *
   * @param endpoint the S3 API address (MinIO, Ceph, s3proxy...); empty for AWS itself
   * @param region the signing region; empty means the AWS default chain ({@code AWS_REGION}...),
   *     or {@code us-east-1} when an endpoint is given
   * @param pathStyle address buckets as {@code http://host/bucket/key} (most S3-compatible servers)
   *     rather than {@code http://bucket.host/key}
   * @param accessKeyId static credentials; empty means the AWS default chain (environment {@code
   *     AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profiles, instance roles)
   * @param secretAccessKey goes with {@code accessKeyId}
   */
  public record Options(Optional<URI> endpoint, Optional<String> region, boolean pathStyle,
      Optional<String> accessKeyId, Optional<String> secretAccessKey) {
    public Options {
      if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
        throw new IllegalArgumentException("an S3 access key id and secret access key go together");
      }
    }

    public static Options defaults() {
      return new Options(Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    public Options withEndpoint(URI uri) {
      return new Options(Optional.ofNullable(uri), region, pathStyle, accessKeyId, secretAccessKey);
    }

    public Options withRegion(String name) {
      return new Options(endpoint, Optional.ofNullable(name), pathStyle, accessKeyId, secretAccessKey);
    }

    public Options withPathStyle(boolean on) {
      return new Options(endpoint, region, on, accessKeyId, secretAccessKey);
    }

    public Options withCredentials(String keyId, String secret) {
      return new Options(endpoint, region, pathStyle, Optional.ofNullable(keyId), Optional.ofNullable(secret));
    }

    /** Iceberg's S3FileIO properties for these options. */
    Map<String, String> properties() {
      Map<String, String> p = new HashMap<>();
      endpoint.ifPresent(e -> p.put(S3FileIOProperties.ENDPOINT, e.toString()));
      Optional<String> signing = region.isPresent() ? region : endpoint.map(e -> "us-east-1");
      signing.ifPresent(r -> p.put(AwsClientProperties.CLIENT_REGION, r));
      p.put(S3FileIOProperties.PATH_STYLE_ACCESS, Boolean.toString(pathStyle));
      accessKeyId.ifPresent(k -> p.put(S3FileIOProperties.ACCESS_KEY_ID, k));
      secretAccessKey.ifPresent(s -> p.put(S3FileIOProperties.SECRET_ACCESS_KEY, s));
      return p;
    }

    String describeEndpoint() {
      return endpoint.map(URI::toString).orElse("AWS S3");
    }

    @Override
    public String toString() {
      return "S3 options[endpoint=" + describeEndpoint() + ", region=" + region.orElse("default")
          + ", pathStyle=" + pathStyle + ", credentials="
          + (accessKeyId.isPresent() ? "static key " + accessKeyId.get() : "AWS default chain") + "]";
    }
  }

  /** Whether a warehouse location is an object-store URI ({@code s3://...}) rather than a folder. */
  public static boolean isObjectStore(String warehouse) {
    return warehouse.regionMatches(true, 0, "s3://", 0, 5)
        || warehouse.regionMatches(true, 0, "s3a://", 0, 6)
        || warehouse.regionMatches(true, 0, "s3n://", 0, 6);
  }

  /**
   * The canonical form of an S3 warehouse URI: {@code s3://bucket} or {@code s3://bucket/prefix},
   * without a trailing slash.
   *
   * @throws IllegalArgumentException for anything else, saying what is expected
   */
  public static String normalize(String warehouse) {
    URI uri;
    try {
      uri = URI.create(warehouse.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the warehouse " + warehouse + " is not a valid URI: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("s3") && !scheme.equals("s3a") && !scheme.equals("s3n")) {
      throw new IllegalArgumentException("an object-storage warehouse is s3://bucket/prefix, not " + warehouse);
    }
    String bucket = uri.getHost();
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("the warehouse " + warehouse + " names no bucket: use s3://bucket/prefix");
    }
    if (uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null || uri.getPort() != -1) {
      throw new IllegalArgumentException("the warehouse " + warehouse
          + " must be just s3://bucket/prefix (endpoint and credentials are separate options)");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    for (String segment : path.split("/")) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new IllegalArgumentException("the warehouse " + warehouse + " must not contain '.' or '..' segments");
      }
    }
    return scheme + "://" + bucket + path;
  }

  /** The bucket of an S3 URI. */
  public static String bucket(String warehouse) {
    return URI.create(normalize(warehouse)).getHost();
  }

  /**
   * Opens Iceberg's S3FileIO for the warehouse after checking that the bucket exists and the
   * credentials are accepted. The caller closes the returned FileIO.
   *
   * @throws CatalogException naming the warehouse and what to fix: endpoint unreachable, no or
   *     wrong credentials, missing bucket, no permission
   */
  public static FileIO open(String warehouse, Options options) {
    String location = normalize(warehouse);
    check(location, options);
    S3FileIO io = new S3FileIO();
    io.initialize(options.properties());
    return io;
  }

  /** One HeadBucket with a short timeout and no retries: fail fast and clearly at startup. */
  private static void check(String location, Options options) {
    String bucket = URI.create(location).getHost();
    Map<String, String> props = options.properties();
    props.put(S3FileIOProperties.S3_RETRY_NUM_RETRIES, "0");
    props.put(HttpClientProperties.CLIENT_TYPE, HttpClientProperties.CLIENT_TYPE_URLCONNECTION);
    props.put(HttpClientProperties.URLCONNECTION_CONNECTION_TIMEOUT_MS, PROBE_TIMEOUT_MS);
    props.put(HttpClientProperties.URLCONNECTION_SOCKET_TIMEOUT_MS, PROBE_TIMEOUT_MS);
    String where = "the warehouse " + location + " (endpoint " + options.describeEndpoint() + ")";
    try (S3FileIO probe = new S3FileIO()) {
      probe.initialize(props);
      probe.client().headBucket(HeadBucketRequest.builder().bucket(bucket).build());
    } catch (NoSuchBucketException e) {
      throw missingBucket(bucket, where, e);
    } catch (S3Exception e) {
      int status = e.statusCode();
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (status == 404) {
        throw missingBucket(bucket, where, e);
      }
      if (status == 403 || status == 401 || "InvalidAccessKeyId".equals(code)
          || "SignatureDoesNotMatch".equals(code)) {
        throw new CatalogException("access to bucket " + bucket + " was denied for " + where + " (HTTP " + status
            + (code == null ? "" : ", " + code) + "): check the credentials (--s3-access-key-env and"
            + " --s3-secret-key-env, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and their permissions on the"
            + " bucket", e);
      }
      if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
        throw new CatalogException("the object store answered " + status + (code == null ? "" : " " + code)
            + " for " + where + ": the bucket is probably in another region; set --s3-region", e);
      }
      throw new CatalogException("the object store refused " + where + ": HTTP " + status
          + (code == null ? "" : " " + code) + " " + firstLine(e.getMessage()), e);
    } catch (SdkClientException e) {
      throw clientError(where, options, e);
    } catch (IllegalArgumentException e) {
      throw new CatalogException("cannot use " + where + ": " + firstLine(e.getMessage()), e);
    }
  }

  private static CatalogException missingBucket(String bucket, String where, Exception e) {
    return new CatalogException("the bucket " + bucket + " does not exist for " + where
        + ": create it first, or fix the bucket name in --warehouse", e);
  }

  private static CatalogException clientError(String where, Options options, SdkClientException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return new CatalogException("cannot reach the object store for " + where + ": connection refused;"
            + " is it running? check --s3-endpoint", e);
      }
      if (t instanceof UnknownHostException) {
        return new CatalogException("cannot reach the object store for " + where + ": unknown host "
            + t.getMessage() + "; check --s3-endpoint (and --s3-path-style for servers without"
            + " bucket subdomains)", e);
      }
      if (t instanceof SocketTimeoutException) {
        return new CatalogException("cannot reach the object store for " + where + ": no answer within "
            + PROBE_TIMEOUT_MS + " ms; check --s3-endpoint", e);
      }
    }
    String message = firstLine(e.getMessage());
    if (message.contains("credentials")) {
      return new CatalogException("no S3 credentials for " + where + ": pass --s3-access-key-env and"
          + " --s3-secret-key-env, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (" + message + ")", e);
    }
    if (message.toLowerCase(Locale.ROOT).contains("region")) {
      return new CatalogException("no S3 region for " + where + ": pass --s3-region (" + message + ")", e);
    }
    return new CatalogException("cannot use " + where + ": " + message, e);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int cut = message.indexOf('\n');
    return (cut < 0 ? message : message.substring(0, cut)).strip();
  }
}
