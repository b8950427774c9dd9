package io.meshwork.bench.micro;

import io.meshwork.MeshRequest;
import io.meshwork.internal.RouteTable;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.PathMatch;
import io.meshwork.traffic.QueryMatch;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route matching with 10 rules (one of them a regex): a request that only the last, catch-all rule
 * takes walks all ten; a request for the regex rule pays for the regex. What the rules cost a whole
 * call is measured by {@code PairedCpu routes}, in alternating rounds over Netty.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RouteBenchmark {

  private final RouteTable table = RouteTable.compile(rules());
  private final MeshRequest plain = MeshRequest.builder().path("/catalog/items?page=2")
      .header("x-user-id", "42").header("accept", "application/json").build();
  private final MeshRequest regex = MeshRequest.get("/orders/12345");
  /** Nine specific rules (header, method, paths, query; one regex), then a catch-all. */
  public static List<RouteRule> rules() {
    List<RouteRule> rules = new ArrayList<>();
    rules.add(rule("beta", RouteMatch.builder().header(HeaderMatch.exact("version", "beta")).build()));
    rules.add(rule("admin", RouteMatch.builder().path(PathMatch.prefix("/admin/")).build()));
    rules.add(rule("login", RouteMatch.builder().path(PathMatch.exact("/login")).method("POST").build()));
    rules.add(rule("debug", RouteMatch.builder().query(QueryMatch.exact("debug", "on")).build()));
    rules.add(rule("users", RouteMatch.builder().path(PathMatch.prefix("/users/")).method("PUT").build()));
    rules.add(rule("canary", RouteMatch.builder().header(HeaderMatch.present("x-canary")).build()));
    rules.add(rule("mobile", RouteMatch.builder().header(HeaderMatch.prefix("user-agent", "MobileApp/")).build()));
    rules.add(rule("search", RouteMatch.builder().path(PathMatch.exact("/search")).build()));
    rules.add(rule("orders", RouteMatch.builder().path(PathMatch.regex("/orders/[0-9]+")).build()));
    rules.add(RouteRule.builder("rest").destination(RouteDestination.of("svc")).build());
    return rules;
  }

  private static RouteRule rule(String name, RouteMatch match) {
    return RouteRule.builder(name).match(match).destination(RouteDestination.of("svc")).build();
  }

  @Benchmark
  public String matchTenRulesNoRegex() {
    return table.routeOf(plain);
  }

  @Benchmark
  public String matchTenRulesThroughTheRegex() {
    return table.routeOf(regex);
  }
}
