package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.config.InvalidConfigException;
import io.meshwork.config.MeshConfig;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A config source and what it handed its mesh, in order: each config applied, each rejection. */
record ConfigRecorder(EtcdConfigSource source, BlockingQueue<MeshConfig> applied,
    BlockingQueue<InvalidConfigException> rejected, AtomicLong appliedAt) {

  /** How long a change may take to reach a source on a busy machine. */
  static final Duration BOUND = Duration.ofSeconds(10);
  /** etcd back after an outage: gRPC reconnects within its backoff, a few seconds here. */
  static final Duration RECOVERY = Duration.ofSeconds(30);

  ConfigRecorder(EtcdConfigSource source) {
    this(source, new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>(), new AtomicLong());
  }

  /** Starts the source, recording what it hands on (and when the last config came, in nanoTime). */
  ConfigRecorder start() {
    source.start(config -> {
      appliedAt.set(System.nanoTime());
      applied.add(config);
    }, rejected::add);
    return this;
  }

  /** The next config applied; fails when none comes within {@code bound}. */
  MeshConfig next(Duration bound) throws InterruptedException {
    MeshConfig config = applied.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(config).as("%s applied a config within %s (rejected: %s)", source, bound, rejected).isNotNull();
    return config;
  }

  /** The next rejection; fails when none comes within {@code bound}. */
  InvalidConfigException nextRejection(Duration bound) throws InterruptedException {
    InvalidConfigException rejection = rejected.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(rejection).as("%s rejected a document within %s (applied: %s)", source, bound, applied).isNotNull();
    return rejection;
  }
}
