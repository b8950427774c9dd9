package io.meshwork.netty.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The event loops of one transport, shared by all its clients and servers: native epoll when the
 * platform has it, NIO otherwise. Loops are also addressed by index, so per-loop state (connection
 * pools) can be found without a lock from the thread that runs the loop.
 */
public final class EventLoops {

  /** Longs between two loops' counters: 128 bytes, two cache lines. */
  private static final int STRIDE = 16;

  private final EventLoopGroup group;
  private final EventLoop[] loops;
  private final boolean epoll;
  /**
   * Client exchanges in flight per loop, one counter every {@link #STRIDE} slots: callers on other
   * threads read them all, each loop writes mostly its own, and the padding keeps two loops'
   * counters off one cache line.
   */
  private final AtomicLongArray inFlight;

  /** Starts {@code threads} daemon loops named after {@code name}. */
  public EventLoops(int threads, boolean preferNative, String name) {
    this.epoll = preferNative && Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    // Daemon threads: a transport the application forgot to close must not keep the JVM alive.
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
    List<EventLoop> all = new ArrayList<>();
    for (EventExecutor executor : group) {
      all.add((EventLoop) executor);
    }
    this.loops = all.toArray(new EventLoop[0]);
    this.inFlight = new AtomicLongArray(loops.length * STRIDE);
  }

  /** The whole group, for bootstraps. */
  public EventLoopGroup group() {
    return group;
  }

  /** The number of loops. */
  public int size() {
    return loops.length;
  }

  /** Loop {@code index}, 0 to size() - 1. */
  public EventLoop loop(int index) {
    return loops[index];
  }

  /** The index of the loop running the calling thread, or -1 when it runs none of them. */
  public int currentIndex() {
    for (int i = 0; i < loops.length; i++) {
      if (loops[i].inEventLoop()) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Picks the loop of a new client exchange and counts the exchange there until
   * {@link #endExchange(int)}: the caller's own loop when it runs on one, so a call made from a
   * callback stays on its loop with no hop; otherwise the loop with the fewest exchanges in flight
   * (the lowest index on a tie). Never a loop per thread: one application thread that starts many
   * calls (a main thread, a batch job) must not pile them all on one loop, where every call chained
   * from their callbacks would then stay while the other cores idle. A thread that calls one at a
   * time still finds every loop idle each time, and so keeps reusing one warm connection.
   */
  public int startExchange() {
    int index = currentIndex();
    if (index < 0) {
      index = 0;
      long least = inFlight.get(0);
      for (int i = 1; i < loops.length && least > 0; i++) {
        long load = inFlight.get(i * STRIDE);
        if (load < least) {
          least = load;
          index = i;
        }
      }
    }
    inFlight.getAndIncrement(index * STRIDE);
    return index;
  }

  /** Counts a client exchange on loop {@code index} that did not come through {@link #startExchange()}. */
  public void countExchange(int index) {
    inFlight.getAndIncrement(index * STRIDE);
  }

  /** The exchange counted on loop {@code index} ended; exactly once per exchange counted. */
  public void endExchange(int index) {
    inFlight.getAndDecrement(index * STRIDE);
  }

  /** Client exchanges in flight on loop {@code index} now. */
  public long exchangesInFlight(int index) {
    return inFlight.get(index * STRIDE);
  }

  /** Whether the loops use native epoll. */
  public boolean isNative() {
    return epoll;
  }

  /** The client socket class matching the loops. */
  public Class<? extends SocketChannel> socketChannelClass() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** The server socket class matching the loops. */
  public Class<? extends ServerSocketChannel> serverChannelClass() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /**
   * Shuts the loops down with no quiet period and waits up to {@code timeout} for them to stop;
   * returns whether they did.
   */
  public boolean shutdown(Duration timeout) {
    Future<?> terminated = group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return terminated.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
