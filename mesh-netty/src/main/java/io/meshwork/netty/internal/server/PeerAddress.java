package io.meshwork.netty.internal.server;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The caller's address of a connection as {@code host:port}, for requests' {@code remoteAddress}. */
final class PeerAddress {

  private PeerAddress() {}

  static String of(Channel channel) {
    SocketAddress address = channel.remoteAddress();
    if (address instanceof InetSocketAddress inet) {
      String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
