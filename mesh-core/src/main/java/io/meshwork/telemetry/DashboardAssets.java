package io.meshwork.telemetry;

import io.meshwork.MeshResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The files of the web dashboard (HTML, scripts, styles, and the vendored uPlot with its licence),
 * kept in this jar under {@code META-INF/meshwork/dashboard/} and served under {@value #PATH} by a
 * mesh's admin endpoint ({@code MeshBuilder.admin(port)}) and by the control plane. Nothing comes from
 * elsewhere, so the dashboard works offline. The pages read the JSON of the server that serves them;
 * each server answers {@code /dashboard/view.json} itself to say which view it is.
 */
public final class DashboardAssets {

  /** Where the dashboard is served. */
  public static final String PATH = "/dashboard/";

  private static final String ROOT = "META-INF/meshwork/dashboard/";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "txt", "text/plain; charset=utf-8",
      "svg", "image/svg+xml");
  /**
   * Scripts only from the server itself, no frames, no form posts anywhere: a label or a service
   * name that carries markup can never run (the pages escape every value as well). Inline styles are
   * allowed: uPlot sizes its canvas with them.
   */
  private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
      + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'";
  private static final Map<String, Asset> LOADED = new ConcurrentHashMap<>();

  private DashboardAssets() {}

  /**
   * The answer to a {@code GET} of {@code path} (without its query): {@code /dashboard} redirects to
   * {@value #PATH}, which is {@code index.html}; a file of the dashboard with its content type and an
   * {@code ETag} (a 304 when {@code ifNoneMatch} names it); a 404 for any other name.
   *
   * @param path the request's path, starting with {@code /dashboard}
   * @param ifNoneMatch the request's {@code If-None-Match}, or null
   * @throws IllegalArgumentException when {@code path} is not under {@code /dashboard}
   */
  public static MeshResponse answer(String path, String ifNoneMatch) {
    if (path.equals("/dashboard")) {
      return MeshResponse.builder().status(301).header("location", PATH).build();
    }
    if (!path.startsWith(PATH)) {
      throw new IllegalArgumentException("path: " + path + " (expected: under " + PATH + ")");
    }
    String name = path.length() == PATH.length() ? "index.html" : path.substring(PATH.length());
    Asset asset = find(name);
    if (asset == null) {
      return MeshResponse.builder().status(404).header("content-type", TYPES.get("txt"))
          .body("no dashboard file " + name + "\n").build();
    }
    MeshResponse.Builder answer = MeshResponse.builder().header("etag", asset.etag)
        // Revalidated on every load: a new jar's files are picked up at once, an unchanged file costs a 304.
        .header("cache-control", "no-cache").header("x-content-type-options", "nosniff");
    if (asset.type.startsWith("text/html")) {
      answer.header("content-security-policy", POLICY).header("referrer-policy", "no-referrer");
    }
    if (asset.etag.equals(ifNoneMatch)) {
      return answer.status(304).build();
    }
    return answer.status(200).header("content-type", asset.type).body(asset.bytes).build();
  }

  /** The file named {@code name}, read once; null when there is none. */
  private static Asset find(String name) {
    if (!NAME.matcher(name).matches() || name.contains("..")) {
      return null;
    }
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    if (type == null) {
      return null;
    }
    Asset cached = LOADED.get(name);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readAllBytes();
      Asset asset = new Asset(bytes, type, "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 12) + "\"");
      LOADED.put(name, asset);
      return asset;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard's " + name, e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private record Asset(byte[] bytes, String type, String etag) {}
}
