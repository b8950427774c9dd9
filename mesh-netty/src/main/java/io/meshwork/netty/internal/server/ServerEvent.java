package io.meshwork.netty.internal.server;

/** Events the server fires into a connection's pipeline. */
enum ServerEvent {
  /** The server is closing: finish what is in flight, take nothing new, then close. */
  DRAIN,
  /** A request head did not arrive within the head timeout of its first byte. */
  HEAD_TIMEOUT,
  /** A request body arrives slower than the minimum rate. */
  BODY_TOO_SLOW
}
