package io.meshwork.netty.internal;

import java.time.Duration;

/**
 * The checked settings of one Netty transport, as its builder gathered them.
 *
 * @param eventLoopThreads the threads shared by every client and server of the transport
 * @param preferNative whether to use native epoll when the platform offers it
 * @param maxConnectionsPerInstance the HTTP/1.1 connections kept to one instance at most
 * @param maxPendingPerInstance the exchanges that may wait for a connection to one instance
 * @param idleTimeout how long an unused client connection is kept
 * @param serverIdleTimeout how long a server connection with nothing in flight is kept
 * @param shutdownGrace how long close() lets in-flight exchanges finish
 * @param timerTick the resolution of the scheduler handed to the mesh
 * @param maxResponseHeaderBytes the largest response header block a client accepts
 * @param preferOpenSsl whether mutual TLS uses BoringSSL when it loads (else the JDK provider)
 */
public record TransportSettings(
    int eventLoopThreads,
    boolean preferNative,
    int maxConnectionsPerInstance,
    int maxPendingPerInstance,
    Duration idleTimeout,
    Duration serverIdleTimeout,
    Duration shutdownGrace,
    Duration timerTick,
    int maxResponseHeaderBytes,
    boolean preferOpenSsl) {}
