package io.meshwork.netty.internal.client;

/**
 * What holds an exchange on its event loop: a pool's wait queue, an HTTP/1.1 connection or an
 * HTTP/2 stream. Called on the loop when the exchange's caller completed its future first.
 */
interface ExchangeOwner {

  /** Releases what {@code exchange} holds: leaves the queue, closes the connection, resets the stream. */
  void abandon(Exchange exchange);
}
