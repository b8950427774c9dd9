package io.meshwork.netty.internal.client;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * Netty's response decoder, told whether the request in flight was a HEAD: the answer to a HEAD has
 * no body whatever its headers say (RFC 9110 9.3.2). HttpClientCodec learns this from its own
 * encoder; ours writes raw bytes, so the connection sets the flag before each request.
 */
final class Http1ResponseDecoder extends HttpResponseDecoder {

  /** Whether the exchange in flight is a HEAD request. */
  boolean headRequest;

  Http1ResponseDecoder(int maxHeaderBytes) {
    super(new HttpDecoderConfig()
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(maxHeaderBytes)
        .setMaxChunkSize(64 * 1024)
        // MeshHeaders checks every name and value it is given; checking twice buys nothing.
        .setValidateHeaders(false));
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage message) {
    if (headRequest && ((HttpResponse) message).status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      return true;
    }
    return super.isContentAlwaysEmpty(message);
  }
}
