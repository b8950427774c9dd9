package io.meshwork.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.RangeRequest;
import java.nio.charset.StandardCharsets;

/**
 * The keys etcd reads or watches at once: every key that starts with a prefix, as the range
 * {@code [prefix, end)} etcd's API takes, or one key alone (no end).
 *
 * @param name the common prefix, such as {@code /meshwork/services/default/user-service/}, or the key
 * @param start the first key of the range, the prefix's (or the key's) bytes
 * @param end the first key after the range; empty for one key alone
 */
record KeyRange(String name, ByteString start, ByteString end) {

  /** The range of every key that starts with {@code prefix}. */
  static KeyRange prefix(String prefix) {
    byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] end = start.clone();
    // The first key after the prefix: its last byte plus one (never 0xff: no UTF-8 text ends with it).
    end[end.length - 1]++;
    return new KeyRange(prefix, ByteString.copyFrom(start), ByteString.copyFrom(end));
  }

  /** The one key {@code key}: etcd's API reads a range without an end as its first key alone. */
  static KeyRange key(String key) {
    return new KeyRange(key, ByteString.copyFromUtf8(key), ByteString.EMPTY);
  }

  /** A read of the whole range at etcd's current revision. */
  RangeRequest read() {
    return RangeRequest.newBuilder().setKey(start).setRangeEnd(end).build();
  }

  @Override
  public String toString() {
    return name;
  }
}
