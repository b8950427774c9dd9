// One process's pages, from its admin endpoint: the instances of each destination as this process
// sees them (health, ejection, breaker), its traffic of the last minutes, and the routes,
// authorization, certificate and config it has in force.
import { html, patch, table, badge, labels, stats, number, percent, millis, span, time } from './html.js';
import { graph } from './graph.js';
import { chart, update } from './charts.js';

const REPORT = '../health/report';
const TRAFFIC = '../traffic';
const CONFIG = '../config';
const CERTIFICATE = '../certificate';

const STATES = { available: 'ok', probing: 'warn', circuit_open: 'bad', ejected: 'bad', unhealthy: 'bad' };
const CIRCUITS = { closed: 'ok', half_open: 'warn', open: 'bad' };

function words(value) {
  return String(value).replace(/_/g, ' ');
}

function instanceRow(i) {
  const left = i.state_for_ms > 0 ? ` for ${(i.state_for_ms / 1000).toFixed(1)} s` : '';
  return [
    i.id === i.address ? i.id : html`${i.id} <code class="muted">${i.address}</code>`,
    badge(i.health === 'healthy' ? 'ok' : i.health === 'unhealthy' ? 'bad' : 'muted', i.health),
    badge(STATES[i.state] || 'muted', words(i.state) + left),
    badge(CIRCUITS[i.circuit] || 'muted', words(i.circuit)),
    i.ejections,
    i.consecutive_failures,
    i.recent_calls,
    percent(i.success_rate),
    i.recent_calls ? millis(i.mean_latency_ms) : '–',
    labels(i.labels),
    i.weight,
  ];
}

const services = {
  id: 'services',
  title: 'Services',
  needs: () => [REPORT],
  render(root, data) {
    const report = data[REPORT];
    patch(root, [
      ['self', html`<section aria-labelledby="self-heading"><h2 id="self-heading">This process:
        ${report.service || 'a client only'}</h2>
        ${stats([['Instances served', report.served.length], ['Destinations called', report.destinations.length]])}
        ${report.served.length ? html`<p>Serving ${report.served.map((a, n) => html`${n ? ', ' : ''}<code>${a}</code>`)}.</p>`
          : ''}</section>`],
      ...report.destinations.map(d => [`destination:${d.service}`, html`<section aria-label="${d.service}">
        <h2>${d.service} <small>${d.available} of ${d.instances.length} available</small>
        ${d.panic ? badge('warn', 'panic: calling every healthy instance') : ''}</h2>
        ${table(`Instances of ${d.service} as this process sees them`, ['Instance', 'Registry', 'State',
          'Breaker', 'Ejections', 'Failures in a row', 'Recent calls', 'Success', 'Mean latency', 'Labels', 'Weight'],
          d.instances.map(instanceRow), 'No instance registered.')}</section>`]),
      ['none', report.destinations.length ? ''
        : html`<p class="empty">This process has not called any service yet.</p>`],
    ]);
  },
};

// "spiffe://cluster.local/ns/default/sa/frontend" is default/frontend to a person.
function who(caller) {
  const m = /^spiffe:\/\/[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(caller);
  return m ? `${m[1]}/${m[2]}` : caller;
}

function last(series, field) {
  const values = series[field];
  return values && values.length ? values[values.length - 1] : null;
}

function trafficGraph(history) {
  const self = history.inbound.name;
  const callers = history.callers.map(c => ({ id: `caller:${c.caller}`, label: who(c.caller), note: 'caller', kind: 'peer' }));
  const destinations = history.destinations.map(d => ({
    id: `to:${d.name}`, label: d.name, note: `success ${percent(last(d, 'success'))}`, kind: 'peer',
  }));
  const edges = [
    ...history.callers.map(c => ({ from: `caller:${c.caller}`, to: 'self', label: `${number(c.rate, 2)} req/s` })),
    ...history.destinations.map(d => {
      const success = last(d, 'success');
      return {
        from: 'self', to: `to:${d.name}`, label: `${number(last(d, 'rate'), 2)} req/s`,
        kind: success != null && success < 0.95 ? 'failing' : 'normal',
      };
    }),
  ];
  return graph('calls', `Calls to and from ${self} in the last ${history.interval_seconds} s`,
    [callers, [{ id: 'self', label: self, note: `this process · ${number(last(history.inbound, 'rate'), 2)} req/s`,
      kind: 'self' }], destinations].filter(c => c.length), edges);
}

function summaryRow(series, direction) {
  return [
    html`<a href="#/traffic/${encodeURIComponent(series.name)}">${series.name}</a>`,
    direction,
    number(last(series, 'rate'), 2),
    percent(last(series, 'success')),
    millis(last(series, 'p50_ms')),
    millis(last(series, 'p99_ms')),
  ];
}

function charts(series, heading) {
  return html`<section class="series" aria-label="${heading}"><h2>${heading}</h2><div class="charts">
    ${chart(series.name, 'rate')}${chart(series.name, 'success')}${chart(series.name, 'latency', 'Latency p50 / p99')}
    </div></section>`;
}

const traffic = {
  id: 'traffic',
  title: 'Traffic',
  needs: () => [TRAFFIC],
  render(root, data, focus) {
    const history = data[TRAFFIC];
    if (history.metrics === false) {
      patch(root, [['off', html`<p class="empty">Metrics are off in this process (TelemetryConfig.metrics(false)):
        there is no traffic to show.</p>`]]);
      return;
    }
    const all = [{ series: history.inbound, heading: `Requests served by ${history.inbound.name}`, direction: 'inbound' },
      ...history.destinations.map(d => ({ series: d, heading: `Calls to ${d.name}`, direction: 'outbound' }))];
    const shown = focus ? all.filter(s => s.series.name === focus) : all;
    patch(root, [
      ['intro', html`<p class="hint">Each point is one ${history.interval_seconds} s interval of the last
        ${span(history.window_seconds)}: request rate, share of requests that succeeded (not failed, not 5xx), and
        latency percentiles from the duration histograms.${focus ? html` Showing ${focus};
        <a href="#/traffic">show every series</a>.` : ''}</p>`],
      ['graph', focus ? '' : trafficGraph(history)],
      ['summary', table(`Last ${history.interval_seconds} s`, ['Series', 'Direction', 'Requests/s', 'Success', 'p50',
        'p99'], all.map(s => summaryRow(s.series, s.direction)), '')],
      ...shown.map(s => [`charts:${s.series.name}`, charts(s.series, s.heading)]),
      ['truncated', history.truncated ? html`<p class="hint">More destinations than the dashboard keeps; the rest are
        in <a href="../metrics">/metrics</a>.</p>` : ''],
    ]);
    update(root, history);
  },
};

// A value of the config tree as one line, as mesh.yaml's flow style writes it.
function flow(value) {
  if (value == null) return '';
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}: ${flow(v)}`).join(', ')}}`;
  return String(value);
}

function destinations(route) {
  const entries = route.route || [];
  const total = entries.reduce((sum, e) => sum + (e.destination.weight ?? 100), 0);
  return html`<ul class="plain">${entries.map(e => {
    const share = total ? Math.round(((e.destination.weight ?? 100) / total) * 100) : 0;
    return html`<li><code>${e.destination.service}${e.destination.subset ? ` / ${e.destination.subset}` : ''}</code>
      <span class="share"><progress max="100" value="${share}">${share} %</progress> ${share} %</span></li>`;
  })}</ul>`;
}

const ROUTE_EXTRAS = ['timeout', 'retries', 'headers', 'rewrite', 'mirror', 'fault', 'rateLimit'];
const POLICY_FIELDS = ['timeout', 'retries', 'circuitBreaker', 'outlierDetection', 'loadBalancer', 'rateLimit',
  'healthCheck', 'limits', 'protocol'];

function policy(service) {
  const set = Object.entries(service).filter(([k]) => k !== 'routes' && k !== 'subsets');
  if (set.length === 0) return html`<p class="muted">Default policy.</p>`;
  return html`<dl class="pairs">${set.sort(([a], [b]) => POLICY_FIELDS.indexOf(a) - POLICY_FIELDS.indexOf(b))
    .map(([k, v]) => html`<dt>${k}</dt><dd><code>${flow(v)}</code></dd>`)}</dl>`;
}

const routes = {
  id: 'routes',
  title: 'Routes and splits',
  needs: () => [CONFIG],
  render(root, data) {
    const tree = (data[CONFIG].config || {});
    const byService = Object.entries(tree.services || {});
    patch(root, [
      ['intro', html`<p class="hint">The route rules of each destination, in the order they are matched: the first
        whose match holds decides. A split sends each call to one destination by weight.</p>`],
      ['default', tree.defaultPolicy ? html`<section aria-label="Default policy"><h2>Default policy</h2>
        ${policy(tree.defaultPolicy)}</section>` : ''],
      ...byService.map(([name, service]) => [`service:${name}`, html`<section aria-label="Routes of ${name}">
        <h2>${name}</h2><div class="side-by-side">${policy(service)}
        ${service.subsets ? table(`Subsets of ${name}`, ['Subset', 'Labels'],
          Object.entries(service.subsets).map(([subset, selector]) => [subset, labels(selector)]), '') : ''}</div>
        ${table(`Route rules of ${name}`, ['Rule', 'Match', 'Destinations', 'Sticky on', 'Also'],
          (service.routes || []).map(r => [
            r.name,
            r.match && r.match.length ? html`${r.match.map((m, n) => html`${n ? html`<br>or ` : ''}<code>${flow(m)}</code>`)}`
              : html`<span class="muted">every call</span>`,
            destinations(r),
            r.hashOn ? html`header <code>${r.hashOn}</code>` : '–',
            ROUTE_EXTRAS.filter(k => r[k] != null).map(k => html`<div><code>${k}: ${flow(r[k])}</code></div>`),
          ]), 'No route rule: every call goes to the whole service.')}</section>`]),
      ['none', byService.length ? '' : html`<p class="empty">No service has a policy of its own: every destination
        uses the default policy and no route rule.</p>`],
      ['problem', data[CONFIG].problem ? html`<p class="error">${data[CONFIG].problem}</p>` : ''],
    ]);
  },
};

const authorization = {
  id: 'authorization',
  title: 'Authorization',
  needs: () => [CONFIG],
  render(root, data) {
    const tree = data[CONFIG].config || {};
    const auth = tree.authorization || {};
    const rules = auth.rules || [];
    const action = auth.defaultAction || 'ALLOW';
    patch(root, [
      ['summary', html`<p>Requests to this process's servers: any matching <strong>DENY</strong> rule denies;
        once an <strong>ALLOW</strong> rule exists a request must match one. A request no rule decides is
        ${badge(action === 'DENY' ? 'bad' : 'ok', action === 'DENY' ? 'denied' : 'allowed')}.
        mTLS: <strong>${data[CONFIG].mtls || 'as built'}</strong>.</p>`],
      ['rules', table('Authorization rules, in order', ['Rule', 'Action', 'Callers', 'Namespaces', 'Paths', 'Methods'],
        rules.map(r => [
          r.name || '(derived)',
          badge(r.action === 'DENY' ? 'bad' : 'ok', r.action),
          (r.principals || []).join(', ') || 'any',
          (r.namespaces || []).join(', ') || 'any',
          (r.paths || []).join(', ') || 'any',
          (r.methods || []).join(', ') || 'any',
        ]), 'No authorization rule.')],
      ['limit', tree.inboundRateLimit ? html`<section aria-label="Inbound rate limit"><h2>Inbound rate limit</h2>
        <p><code>${flow(tree.inboundRateLimit)}</code></p></section>` : ''],
    ]);
  },
};

function lifeLeft(c) {
  const share = c.lifetime_seconds > 0 ? Math.max(0, c.expires_in_seconds / c.lifetime_seconds) : 0;
  const kind = c.expires_in_seconds <= 0 ? 'bad' : share < 0.25 ? 'warn' : 'ok';
  const words = c.expires_in_seconds <= 0 ? `expired ${span(-c.expires_in_seconds)} ago`
    : `${span(c.expires_in_seconds)} left`;
  return html`${badge(kind, words)} <meter min="0" max="1" low="0.25" optimum="1" value="${share.toFixed(3)}"
    aria-label="Share of its lifetime left">${percent(share)}</meter>`;
}

const certificates = {
  id: 'certificates',
  title: 'Certificates',
  needs: () => [CERTIFICATE],
  render(root, data) {
    const answer = data[CERTIFICATE];
    const c = answer.certificate;
    patch(root, [
      ['mode', html`<p>mTLS mode: <strong>${answer.mtls}</strong>${answer.trust_domain
        ? html`, trust domain <code>${answer.trust_domain}</code>` : ''}.</p>`],
      ['certificate', c ? html`<section aria-labelledby="own-heading"><h2 id="own-heading">This workload's certificate</h2>
        <dl class="pairs">
          <dt>Identity</dt><dd><code>${c.identity || '–'}</code></dd>
          <dt>Serial</dt><dd><code>${c.serial}</code></dd>
          <dt>Subject</dt><dd><code>${c.subject}</code></dd>
          <dt>Issuer</dt><dd><code>${c.issuer}</code></dd>
          <dt>Valid from</dt><dd>${time(c.not_before)}</dd>
          <dt>Expires</dt><dd>${time(c.not_after)} ${lifeLeft(c)}</dd>
          <dt>Revoked</dt><dd>${c.revoked ? badge('bad', 'revoked: peers refuse it') : badge('ok', 'no')}</dd>
          <dt>Chain</dt><dd>${c.chain_length} certificate(s) sent to peers</dd>
        </dl></section>` : html`<p class="empty">mTLS is disabled: this process has no certificate.</p>`],
      ['anchors', table('Trust anchors peers are verified with', ['Subject', 'Serial', 'Expires'],
        (answer.trust_anchors || []).map(a => [a.subject, html`<code>${a.serial}</code>`,
          html`${time(a.not_after)} ${lifeLeft(a)}`]), '')],
    ]);
  },
};

const OUTCOMES = { applied: 'ok', rejected: 'bad', built: 'muted' };

const config = {
  id: 'config',
  title: 'Config',
  needs: () => [CONFIG],
  render(root, data) {
    const answer = data[CONFIG];
    const history = [...answer.history].reverse();
    patch(root, [
      ['history', html`<section aria-labelledby="history-heading"><h2 id="history-heading">Changes</h2>
        ${table(`The last ${answer.history_limit} config changes, newest first`, ['When', 'Source', 'Outcome', 'What'],
          history.map(h => [time(h.at), h.source, badge(OUTCOMES[h.outcome] || 'muted', h.outcome),
            html`<span class="detail">${h.detail}</span>`]), '')}
        ${answer.history_dropped ? html`<p class="hint">${answer.history_dropped} older change(s) not kept.</p>` : ''}
        </section>`],
      ['current', html`<section aria-labelledby="current-heading"><h2 id="current-heading">In force</h2>
        ${answer.yaml != null ? html`<pre class="code">${answer.yaml}</pre>`
          : html`<p class="error">${answer.problem}</p>`}</section>`],
    ]);
  },
};

export const processPages = [services, traffic, routes, authorization, certificates, config];
