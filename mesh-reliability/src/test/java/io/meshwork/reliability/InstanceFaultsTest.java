package io.meshwork.reliability;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rows where one instance of three (or all three) breaks: two healthy Meshwork servers in child
 * JVMs for the whole class, and a third per row that the row breaks.
 */
class InstanceFaultsTest {

  private static ServerProcess first;
  private static ServerProcess second;

  @BeforeAll
  static void startHealthyInstances() {
    first = ServerProcess.start();
    second = ServerProcess.start();
  }

  @AfterAll
  static void stopHealthyInstances() {
    first.close();
    second.close();
  }

  @Test
  void instanceKilledMidLoad() throws Exception {
    try (ServerProcess third = ServerProcess.start()) {
      Catalogue.record(RowRun.run(new Row("01", "one instance of three killed mid-load (SIGKILL), left registered",
          0.99), RowRun.registry(List.of(first.port(), second.port(), third.port())), third::kill, null));
    }
  }

  @Test
  void slowInstance() throws Exception {
    try (ServerProcess third = ServerProcess.start()) {
      Catalogue.record(RowRun.run(new Row("05", "one instance of three slow (+" + ServingMain.SLOWNESS.toMillis()
          + " ms an answer)", 1.0), RowRun.registry(List.of(first.port(), second.port(), third.port())),
          () -> third.mode("slow"), null));
    }
  }

  @Test
  void errorStormOnOneInstance() throws Exception {
    try (ServerProcess third = ServerProcess.start()) {
      Catalogue.record(RowRun.run(new Row("06", "5xx storm on one instance of three (every answer 503)", 0.99),
          RowRun.registry(List.of(first.port(), second.port(), third.port())), () -> third.mode("503"), null));
    }
  }

  @Test
  void errorStormOnEveryInstance() throws Exception {
    try (ServerProcess third = ServerProcess.start()) {
      List<ServerProcess> all = List.of(first, second, third);
      Catalogue.record(RowRun.run(new Row("07", "5xx storm on all three instances for " + RowRun.DURING
          + " calls, then over", 0, Duration.ofSeconds(2)), RowRun.registry(List.of(first.port(), second.port(), third.port())),
          () -> all.forEach(s -> s.mode("503")), () -> all.forEach(s -> s.mode("ok"))));
    }
  }

  @Test
  void refusing() throws Exception {
    wireFault("02", "one instance of three refusing connections (listener closed)", WireFault.REFUSING);
  }

  @Test
  void blackHole() throws Exception {
    wireFault("03", "one instance of three black-holed: accepts, reads, never answers", WireFault.BLACK_HOLE);
  }

  @Test
  void listenerThatNeverAccepts() throws Exception {
    wireFault("04", "one instance of three black-holed: a listener that never accepts", WireFault.NEVER_ACCEPTS);
  }

  @Test
  void garbage() throws Exception {
    wireFault("08", "one instance of three answering garbage (no HTTP)", WireFault.GARBAGE);
  }

  @Test
  void truncated() throws Exception {
    wireFault("09", "one instance of three answering truncated bodies (15 of 100 bytes, then closed)",
        WireFault.TRUNCATED);
  }

  @Test
  void oversized() throws Exception {
    wireFault("10", "one instance of three answering oversized bodies (16 MiB, limit 10 MiB)", WireFault.OVERSIZED);
  }

  @Test
  void halfClosed() throws Exception {
    wireFault("11", "one instance of three half-closing connections (FIN after the request, no answer)",
        WireFault.HALF_CLOSED);
  }

  @Test
  void resetMidBody() throws Exception {
    wireFault("12", "one instance of three resetting connections mid-body (RST)", WireFault.RESET_MID_BODY);
  }

  private static void wireFault(String order, String fault, WireFault wire) throws Exception {
    try (FaultyServer third = new FaultyServer()) {
      Catalogue.record(RowRun.run(new Row(order, fault, 0.99),
          RowRun.registry(List.of(first.port(), second.port(), third.port())), () -> third.inject(wire), null));
    }
  }
}
