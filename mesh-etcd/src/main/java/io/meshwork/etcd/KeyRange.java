package io.meshwork.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.RangeRequest;
import java.nio.charset.StandardCharsets;

/**
 * The keys etcd reads or watches at once: every key that starts with {@code prefix}, as the range
 * {@code [prefix, end)} etcd's API takes.
 *
 * @param prefix the common prefix, such as {@code /meshwork/services/default/user-service/}
 * @param start the first key of the range, the prefix's bytes
 * @param end the first key after the range
 */
record KeyRange(String prefix, ByteString start, ByteString end) {

  /** The range of every key that starts with {@code prefix}. */
  static KeyRange prefix(String prefix) {
    byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] end = start.clone();
    // The first key after the prefix: its last byte plus one (a prefix never ends with 0xff here).
    end[end.length - 1]++;
    return new KeyRange(prefix, ByteString.copyFrom(start), ByteString.copyFrom(end));
  }

  /** A read of the whole range at etcd's current revision. */
  RangeRequest read() {
    return RangeRequest.newBuilder().setKey(start).setRangeEnd(end).build();
  }

  @Override
  public String toString() {
    return prefix;
  }
}
