package io.meshwork.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/** The PNG charts of docs/benchmarks.md, drawn with XChart. */
final class Charts {

  private static final Color[] COLORS = {
      new Color(0x55, 0x55, 0x55), new Color(0x1f, 0x77, 0xb4), new Color(0x2c, 0xa0, 0x2c),
      new Color(0x98, 0xdf, 0x8a), new Color(0xff, 0x7f, 0x0e), new Color(0xd6, 0x27, 0x28)};

  private Charts() {}

  /** Median maximum throughput per client. */
  static void throughput(Figures f, Path file) throws IOException {
    bars(f, file, "Maximum throughput (closed loop, median of rounds)", "requests / s", "closed", "throughput");
  }

  /** Median client CPU per request per client. */
  static void cpu(Figures f, Path file) throws IOException {
    bars(f, file, "Client CPU per request (median of rounds)", "µs of CPU / request", "closed",
        "cpuMicrosPerRequest");
  }

  /** Latency percentiles per client at the fixed rate, on a log scale. */
  static void latency(Figures f, Path file) throws IOException {
    CategoryChart chart = base("Latency at " + Targets.rate(f) + " req/s, open loop, CO-corrected",
        "percentile", "µs (log scale)");
    chart.getStyler().setYAxisMin(null);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLabelsVisible(false);
    // Lines, not bars: XChart's log axis cannot draw bars, which start at zero.
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    chart.getStyler().setLegendVisible(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    List<String> percentiles = List.of("p50", "p90", "p99", "p99.9");
    for (String kind : f.kinds()) {
      List<Double> values = new ArrayList<>();
      for (String metric : List.of("p50", "p90", "p99", "p999")) {
        values.add(f.comparison(kind, "open", metric).median());
      }
      if (values.stream().noneMatch(v -> v.isNaN())) {
        chart.addSeries(Text.shortClient(kind), percentiles, values);
      }
    }
    save(chart, file);
  }

  /** p99 per balancer with one of four instances 20 ms slower. */
  static void slowInstance(Figures f, Path file) throws IOException {
    CategoryChart chart = base("p99 with one of 4 instances +20 ms, " + Targets.rate(f) + " req/s",
        "", "p99 (ms)");
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (String config : f.configs("slowInstance")) {
      Stats p99 = f.scenario("slowInstance", config, "p99");
      if (p99.present()) {
        names.add(Text.config(config).replace("Meshwork, ", "").replace("only the ", ""));
        values.add(p99.median() / 1000);
      }
    }
    if (!names.isEmpty()) {
      chart.addSeries("p99", names, values);
    }
    save(chart, file);
  }

  private static void bars(Figures f, Path file, String title, String yTitle, String phase, String metric)
      throws IOException {
    CategoryChart chart = base(title, "", yTitle);
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (String kind : f.kinds()) {
      Stats stats = f.comparison(kind, phase, metric);
      if (stats.present()) {
        names.add(Text.shortClient(kind));
        values.add(stats.median());
      }
    }
    if (!names.isEmpty()) {
      chart.addSeries(yTitle, names, values);
    }
    save(chart, file);
  }

  private static CategoryChart base(String title, String xTitle, String yTitle) {
    CategoryChart chart = new CategoryChartBuilder().width(820).height(420).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setSeriesColors(COLORS);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setLabelsRotation(0);
    chart.getStyler().setYAxisDecimalPattern("#,##0.#");
    chart.getStyler().setDecimalPattern("#,##0.#");
    chart.getStyler().setYAxisMin(0.0);
    return chart;
  }

  private static void save(CategoryChart chart, Path file) throws IOException {
    String name = file.toString();
    BitmapEncoder.saveBitmap(chart, name.substring(0, name.length() - ".png".length()),
        BitmapEncoder.BitmapFormat.PNG);
  }
}
