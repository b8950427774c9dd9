package io.meshwork.bench.client;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreakerClient;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreakerRule;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.client.endpoint.EndpointSelectionStrategy;
import com.linecorp.armeria.client.retry.Backoff;
import com.linecorp.armeria.client.retry.RetryConfig;
import com.linecorp.armeria.client.retry.RetryRule;
import com.linecorp.armeria.client.retry.RetryingClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.SessionProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The library peer: Armeria's {@code WebClient} over a round-robin {@code EndpointGroup}, HTTP/1.1
 * cleartext, with a retrying decorator (3 attempts, 25..250 ms jittered backoff, on 5xx and
 * unprocessed requests) outside a per-endpoint circuit breaker (failure rate 0.5 over 10 s, at
 * least 20 requests, open 10 s): as close to Meshwork's default policy as its API allows.
 */
public final class ArmeriaClient implements LoadClient {

  /** The name prefix of the event-loop threads of its client factory. */
  static final String THREADS = "armeria-eventloop";

  private final ClientFactory factory;
  private final WebClient client;

  /** A client of {@code ports} on 127.0.0.1, on {@code threads} event loops. */
  public ArmeriaClient(List<Integer> ports, int threads) {
    this.factory = ClientFactory.builder().workerGroup(threads).build();
    this.client = webClient(factory, ports);
  }

  /** A WebClient with the decorators over an endpoint group of {@code ports}, made by {@code factory}. */
  public static WebClient webClient(ClientFactory factory, List<Integer> ports) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int port : ports) {
      endpoints.add(Endpoint.of("127.0.0.1", port));
    }
    EndpointGroup group = EndpointGroup.of(EndpointSelectionStrategy.roundRobin(), endpoints);
    RetryRule retryRule = RetryRule.builder().onServerErrorStatus().onUnprocessed()
        .thenBackoff(Backoff.exponential(25, 250).withJitter(1.0));
    return WebClient.builder(SessionProtocol.H1C, group)
        .factory(factory)
        .responseTimeout(Duration.ofSeconds(15))
        // Added first, so it is the inner decorator: one breaker outcome per attempt.
        .decorator(CircuitBreakerClient.newPerHostDecorator(
            host -> CircuitBreaker.builder(host).failureRateThreshold(0.5).minimumRequestThreshold(20)
                .counterSlidingWindow(Duration.ofSeconds(10)).circuitOpenWindow(Duration.ofSeconds(10))
                .build(),
            CircuitBreakerRule.onServerErrorStatus()))
        .decorator(RetryingClient.newDecorator(RetryConfig.builder(retryRule).maxTotalAttempts(3).build()))
        .build();
  }

  @Override
  public CompletableFuture<AggregatedHttpResponse> send() {
    return client.get("/").aggregate();
  }

  @Override
  public int status(Object response) {
    return ((AggregatedHttpResponse) response).status().code();
  }

  @Override
  public String loopThreadPrefix() {
    return THREADS;
  }

  @Override
  public void close() {
    factory.closeAsync().join();
  }
}
