package io.meshwork.netty.internal.client;

/** Where an exchange goes first on its event loop: a pool that finds it a connection. */
interface ExchangeQueue {

  /** Sends {@code exchange} now or queues it; runs on the pool's loop. */
  void submit(Exchange exchange);
}
