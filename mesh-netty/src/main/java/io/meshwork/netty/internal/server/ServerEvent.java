package io.meshwork.netty.internal.server;

/** Events the server fires into every connection's pipeline. */
enum ServerEvent {
  /** The server is closing: finish what is in flight, take nothing new, then close. */
  DRAIN
}
