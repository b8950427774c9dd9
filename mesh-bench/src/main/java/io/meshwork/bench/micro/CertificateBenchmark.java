package io.meshwork.bench.micro;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.KeyAlgorithm;
import io.meshwork.security.WorkloadIdentity;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Workload certificates issued per second by the built-in CA: key pair generation and signing. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CertificateBenchmark {

  @Param({"EC_P256", "RSA_2048"})
  KeyAlgorithm algorithm;

  private final WorkloadIdentity identity = WorkloadIdentity.of("cluster.local", "default", "bench");
  private final Duration ttl = Duration.ofHours(24);
  private CertificateAuthority authority;

  @Setup
  public void setUp() {
    authority = CertificateAuthority.create("cluster.local");
  }

  @Benchmark
  public IssuedCertificate issue() {
    return authority.issue(identity, ttl, algorithm);
  }
}
