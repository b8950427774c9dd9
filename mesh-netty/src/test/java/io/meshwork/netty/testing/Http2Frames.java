package io.meshwork.netty.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * HTTP/2 frames as bytes, built by hand so that a test can send what no well-behaved client would:
 * floods of resets or CONTINUATION frames, header blocks split anywhere. Also reads the frames a
 * server sends back.
 */
public final class Http2Frames {

  /** Frame types (RFC 9113 6). */
  public static final int DATA = 0x0;
  public static final int HEADERS = 0x1;
  public static final int RST_STREAM = 0x3;
  public static final int SETTINGS = 0x4;
  public static final int PING = 0x6;
  public static final int GOAWAY = 0x7;
  public static final int CONTINUATION = 0x9;
  /** Flags. */
  public static final int END_STREAM = 0x1;
  public static final int END_HEADERS = 0x4;

  private Http2Frames() {}

  /** The client connection preface followed by an empty SETTINGS frame. */
  public static byte[] preface() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBufUtil.getBytes(Http2CodecUtil.connectionPrefaceBuf()));
    out.writeBytes(frame(SETTINGS, 0, 0, new byte[0]));
    return out.toByteArray();
  }

  /** {@code headers} HPACK-encoded as one header block, whatever its size. */
  public static byte[] headerBlock(Http2Headers headers) {
    ByteBuf out = Unpooled.buffer();
    try {
      new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true).encodeHeaders(1, headers, out);
      return ByteBufUtil.getBytes(out);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      out.release();
    }
  }

  /** The headers of the first header block of a connection (a fresh HPACK decoder reads it). */
  public static Http2Headers decodeHeaders(byte[] block) {
    ByteBuf in = Unpooled.wrappedBuffer(block);
    try {
      return new DefaultHttp2HeadersDecoder(false).decodeHeaders(1, in);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      in.release();
    }
  }

  /** One frame. */
  public static byte[] frame(int type, int flags, int streamId, byte[] payload) {
    byte[] frame = new byte[9 + payload.length];
    frame[0] = (byte) (payload.length >>> 16);
    frame[1] = (byte) (payload.length >>> 8);
    frame[2] = (byte) payload.length;
    frame[3] = (byte) type;
    frame[4] = (byte) flags;
    frame[5] = (byte) (streamId >>> 24);
    frame[6] = (byte) (streamId >>> 16);
    frame[7] = (byte) (streamId >>> 8);
    frame[8] = (byte) streamId;
    System.arraycopy(payload, 0, frame, 9, payload.length);
    return frame;
  }

  /** RST_STREAM with {@code errorCode}. */
  public static byte[] rstStream(int streamId, int errorCode) {
    return frame(RST_STREAM, 0, streamId, new byte[] {(byte) (errorCode >>> 24), (byte) (errorCode >>> 16),
        (byte) (errorCode >>> 8), (byte) errorCode});
  }

  /** A frame read off the wire. */
  public record Frame(int type, int flags, int streamId, byte[] payload) {

    /** The error code of a GOAWAY or RST_STREAM frame. */
    public int errorCode() {
      int at = type == GOAWAY ? 4 : 0;
      return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
          | (payload[at + 3] & 0xff);
    }
  }

  /** The next frame; an IOException when the connection ends first. */
  public static Frame read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] header = new byte[9];
    data.readFully(header);
    int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
    byte[] payload = new byte[length];
    data.readFully(payload);
    int stream = ((header[5] & 0x7f) << 24) | ((header[6] & 0xff) << 16) | ((header[7] & 0xff) << 8)
        | (header[8] & 0xff);
    return new Frame(header[3] & 0xff, header[4] & 0xff, stream, payload);
  }
}
