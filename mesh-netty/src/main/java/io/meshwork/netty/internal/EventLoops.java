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

/**
 * The event loops of one transport, shared by all its clients and servers: native epoll when the
 * platform has it, NIO otherwise. Loops are also addressed by index, so per-loop state (connection
 * pools) can be found without a lock from the thread that runs the loop.
 */
public final class EventLoops {

  private final EventLoopGroup group;
  private final EventLoop[] loops;
  private final boolean epoll;

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
   * The loop a caller should use: its own when it runs on one (no hop), else one chosen by its
   * thread, so a thread that calls in sequence keeps reusing the same warm connection.
   */
  public int preferredIndex() {
    int current = currentIndex();
    if (current >= 0) {
      return current;
    }
    return (int) (Thread.currentThread().getId() % loops.length);
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
