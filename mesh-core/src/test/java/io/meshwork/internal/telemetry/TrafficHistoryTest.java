package io.meshwork.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.time.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The dashboard's traffic history: rates, success and percentiles per interval, bounded, from the mesh's series. */
class TrafficHistoryTest {

  private static final double[] BOUNDS = {0.001, 0.01, 0.1, 1};

  private final FakeTicker ticker = new FakeTicker();
  private final Instruments instruments = new Instruments(new MetricRegistry(), BOUNDS);
  private final ObjectMapper json = new ObjectMapper();

  private TrafficHistory history(int capacity) {
    return new TrafficHistory("order-service", instruments, ticker, ticker.clock(), Duration.ofSeconds(5), capacity);
  }

  private void call(String service, String outcome, Duration latency) {
    instruments.calls.counter(service, "default", outcome).increment();
    instruments.callDuration.histogram(service, "default", "GET", "200", "-").record(latency.toNanos());
  }

  private JsonNode read(TrafficHistory history) throws Exception {
    return json.readTree(history.json());
  }

  @Test
  void eachIntervalHasItsRateSuccessAndPercentiles() throws Exception {
    TrafficHistory history = history(10);
    for (int i = 0; i < 90; i++) {
      call("user-service", "success", Duration.ofMillis(5)); // in the 1..10 ms bucket
    }
    for (int i = 0; i < 10; i++) {
      call("user-service", "error", Duration.ofMillis(50)); // in the 10..100 ms bucket
    }
    ticker.advance(Duration.ofSeconds(4));
    history.sample();
    JsonNode users = read(history).get("destinations").get(0);
    assertThat(users.get("rate").get(0).asDouble()).isEqualTo(25.0);
    assertThat(users.get("success").get(0).asDouble()).isEqualTo(0.9);
    // Rank 50 of 90 in the 1..10 ms bucket; rank 99 is the 9th of the 10 in 10..100 ms.
    assertThat(users.get("p50_ms").get(0).asDouble()).isCloseTo(1 + 9 * 50.0 / 90, within(0.001));
    assertThat(users.get("p99_ms").get(0).asDouble()).isCloseTo(10 + 90 * 9.0 / 10, within(0.001));
    assertThat(users.get("t").get(0).asDouble()).isEqualTo(ticker.clock().millis() / 1000.0);

    call("user-service", "success", Duration.ofSeconds(3)); // above every bound
    ticker.advance(Duration.ofSeconds(5));
    history.sample();
    users = read(history).get("destinations").get(0);
    assertThat(users.get("rate").get(1).asDouble()).isEqualTo(0.2);
    assertThat(users.get("p99_ms").get(1).asDouble()).as("the highest bound, as Prometheus").isEqualTo(1000.0);
  }

  @Test
  void keepsOnlyTheLastPointsItHasRoomFor() throws Exception {
    TrafficHistory history = history(3);
    for (int n = 1; n <= 5; n++) {
      for (int i = 0; i < n; i++) {
        call("user-service", "success", Duration.ofMillis(1));
      }
      ticker.advance(Duration.ofSeconds(5));
      history.sample();
    }
    JsonNode rate = read(history).get("destinations").get(0).get("rate");
    assertThat(rate).hasSize(3);
    assertThat(rate.get(0).asDouble()).isEqualTo(0.6); // 3 calls in the third interval
    assertThat(rate.get(2).asDouble()).isEqualTo(1.0);
    assertThat(read(history).get("window_seconds").asLong()).isEqualTo(15);
  }

  @Test
  void listsTheCallersOfTheLastMinutesOnly() throws Exception {
    TrafficHistory history = history(2); // a window of 10 s
    instruments.serverRequests.counter("unauthenticated"); // made at start, never called
    instruments.serverRequests.counter("spiffe://cluster.local/ns/default/sa/frontend").add(10);
    ticker.advance(Duration.ofSeconds(5));
    history.sample();
    JsonNode callers = read(history).get("callers");
    assertThat(callers).hasSize(1);
    assertThat(callers.get(0).get("caller").asText()).isEqualTo("spiffe://cluster.local/ns/default/sa/frontend");
    assertThat(callers.get(0).get("rate").asDouble()).isEqualTo(2.0);
    for (int i = 0; i < 3; i++) {
      ticker.advance(Duration.ofSeconds(5));
      history.sample();
    }
    assertThat(read(history).get("callers")).as("silent for longer than the window").isEmpty();
  }

  @Test
  void samplesOnTheSchedulerUntilCancelled() throws Exception {
    TrafficHistory history = history(10);
    var sampling = history.start(ticker);
    ticker.advance(Duration.ofSeconds(15));
    assertThat(read(history).get("inbound").get("rate")).hasSize(3);
    assertThat(sampling.cancel()).isTrue();
    ticker.advance(Duration.ofSeconds(15));
    assertThat(read(history).get("inbound").get("rate")).hasSize(3);
    assertThat(ticker.pendingTasks()).isZero();
  }

  @Test
  void aSeriesThatStartsOverCountsFromZero() {
    long[] buckets = {0, 0, 0, 0, 0};
    TrafficSeries series = new TrafficSeries("x", BOUNDS, 4);
    series.record(0, 1, 100, 0, buckets);
    series.record(1, 1, 30, 0, buckets); // a lower total: restarted
    assertThat(series.lastRate()).isEqualTo(30.0);
    assertThat(TrafficSeries.quantile(0.5, new double[] {1, 2}, new long[] {0, 0, 0}, 0)).isNaN();
  }
}
