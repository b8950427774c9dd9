package io.meshwork.internal;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.TransportException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;

/**
 * Transparent gzip, as OkHttp's: when the caller has not set {@code accept-encoding} itself, asks for
 * gzip and hands back the decoded body without {@code content-encoding} and {@code content-length}.
 * A caller that asked for an encoding gets the body as it came. The decoded body is held to the
 * policy's response limit, so a small compressed body cannot expand into a huge one.
 */
final class GzipStage implements Stage {

  private final String service;
  private final int maxBytes;

  GzipStage(String service, int maxBytes) {
    this.service = service;
    this.maxBytes = maxBytes;
  }

  @Override
  public String name() {
    return "gzip";
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> {
      if (request.headers().contains("accept-encoding")) {
        return next.execute(request, context);
      }
      MeshRequest asking = request.toBuilder().header("accept-encoding", "gzip").build();
      return next.execute(asking, context).thenApply(this::decode);
    };
  }

  private MeshResponse decode(MeshResponse response) {
    String encoding = response.header("content-encoding");
    if (encoding == null || !encoding.trim().equalsIgnoreCase("gzip") || response.bodyLength() == 0) {
      return response;
    }
    byte[] body = gunzip(response);
    return response.toBuilder()
        .headers(response.headers().toBuilder().remove("content-encoding").remove("content-length").build())
        .body(body).build().withAttempts(response.attempts());
  }

  private byte[] gunzip(MeshResponse response) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, response.bodyLength() * 4));
      byte[] chunk = new byte[8192];
      int read;
      while ((read = in.read(chunk)) >= 0) {
        if (out.size() + read > maxBytes) {
          throw new TransportException(service, "gzip response body decodes to more than the limit of "
              + maxBytes + " bytes (ServicePolicy.maxResponseBytes)", null, false);
        }
        out.write(chunk, 0, read);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new TransportException(service, "gzip response body could not be decoded: " + e.getMessage(), e,
          false);
    }
  }
}
