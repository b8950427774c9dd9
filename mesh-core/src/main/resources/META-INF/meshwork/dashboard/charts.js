// Small time charts of a series' traffic, drawn by the vendored uPlot (window.uPlot). A page puts
// placeholders in its markup, <div class="chart" data-series="NAME" data-metric="rate|success|latency">;
// update() draws a chart into each new one and gives the ones already drawn their new points, so
// a refresh never rebuilds a chart.
import { html } from './html.js';

const HEIGHT = 150;
const drawn = new Map(); // placeholder element -> uPlot

const METRICS = {
  rate: { title: 'Requests per second', unit: 'req/s', lines: [['rate', 'req/s', '#1d4ed8']], range: [0, null] },
  success: { title: 'Success rate', unit: '%', lines: [['success', 'success %', '#15803d']], range: [0, 100] },
  latency: {
    title: 'Latency',
    unit: 'ms',
    lines: [['p50_ms', 'p50 ms', '#7c3aed'], ['p99_ms', 'p99 ms', '#c2410c']],
    range: [0, null],
  },
};

// The placeholder of one chart, in a figure with a caption.
export function chart(series, metric, caption) {
  return html`<figure class="chart-figure"><figcaption>${caption || METRICS[metric].title}</figcaption>
    <div class="chart" data-series="${series}" data-metric="${metric}" role="img"
      aria-label="${METRICS[metric].title} of ${series}"></div></figure>`;
}

// Draws or updates every chart placeholder under `root` from `history` (the admin's /traffic answer).
export function update(root, history) {
  const byName = new Map();
  if (history.inbound) byName.set(history.inbound.name, history.inbound);
  for (const series of history.destinations || []) byName.set(series.name, series);
  const now = history.now / 1000;
  for (const placeholder of root.querySelectorAll('.chart[data-series]')) {
    const series = byName.get(placeholder.dataset.series);
    const metric = METRICS[placeholder.dataset.metric];
    if (!series || !metric || typeof globalThis.uPlot !== 'function') continue;
    // The minutes there is history for (a minute at least), up to the whole window the server keeps.
    const first = series.t.length ? series.t[0] - history.interval_seconds : now;
    const from = Math.max(now - history.window_seconds, Math.min(first, now - 60));
    const data = [series.t, ...metric.lines.map(([field]) => scaled(series[field], metric))];
    placeholder.setAttribute('aria-label', describe(placeholder.dataset.series, metric, data));
    let plot = drawn.get(placeholder);
    if (!plot) {
      const shown = { from, now }; // the x range follows the clock: the last minutes up to now
      plot = new globalThis.uPlot(options(metric, placeholder.clientWidth || 320, shown), data, placeholder);
      plot.shown = shown;
      drawn.set(placeholder, plot);
    } else {
      plot.shown.from = from;
      plot.shown.now = now;
      plot.setData(data);
    }
  }
  for (const [placeholder, plot] of drawn) {
    if (!placeholder.isConnected) {
      plot.destroy();
      drawn.delete(placeholder);
    }
  }
}

function scaled(values, metric) {
  return metric.unit === '%' ? values.map(v => (v == null ? null : v * 100)) : values;
}

// What a screen reader says instead of the drawing: the last value of each line.
function describe(name, metric, data) {
  const last = metric.lines.map(([, label], i) => {
    const values = data[i + 1];
    const value = values.length ? values[values.length - 1] : null;
    return `${label} ${value == null ? 'no requests' : Number(value).toFixed(2)}`;
  });
  return `${metric.title} of ${name} over the last minutes; last interval: ${last.join(', ')}`;
}

// 24-hour "14:05" ticks ("14:05:30" when they are less than a minute apart): one line, any locale.
function clockTick(seconds, step) {
  const date = new Date(seconds * 1000);
  const two = n => String(n).padStart(2, '0');
  const minutes = `${two(date.getHours())}:${two(date.getMinutes())}`;
  return step < 60 ? `${minutes}:${two(date.getSeconds())}` : minutes;
}

function options(metric, width, shown) {
  return {
    width,
    height: HEIGHT,
    scales: {
      x: { time: true, range: () => [shown.from, shown.now] },
      y: { range: (u, min, max) => [metric.range[0], metric.range[1] ?? Math.max(1, max * 1.15)] },
    },
    axes: [
      {
        stroke: '#475569',
        grid: { stroke: '#e2e8f0' },
        ticks: { stroke: '#cbd5e1' },
        space: 70,
        values: (u, ticks, axis, space, step) => ticks.map(t => clockTick(t, step)),
      },
      { stroke: '#475569', grid: { stroke: '#e2e8f0' }, ticks: { stroke: '#cbd5e1' }, size: 48 },
    ],
    series: [{}, ...metric.lines.map(([, label, colour]) => ({
      label,
      stroke: colour,
      width: 2,
      points: { size: 4 },
      value: (u, v) => (v == null ? '–' : v.toFixed(2)),
    }))],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  };
}

// Charts follow the width of their placeholders when the window changes.
window.addEventListener('resize', () => {
  for (const [placeholder, plot] of drawn) {
    plot.setSize({ width: placeholder.clientWidth || 320, height: HEIGHT });
  }
});
