// The control plane's pages: the fleet as its API shows it (services, traffic and security rules,
// certificates, config, the control plane's own counts). Breakers, ejections and traffic are each
// calling process's own view; its admin dashboard shows them.
import { html, patch, table, badge, labels, stats, time, expiry, span } from './html.js';
import { graph, layers } from './graph.js';

const SERVICES = '../api/v1/services';
const STATUS = '../api/v1/status';
const VIEW = '../api/v1/watch';
const CERTIFICATES = '../api/v1/certificates';
const CONFIG = '../api/v1/config';

const STATUS_BADGES = { healthy: 'ok', unhealthy: 'bad', unknown: 'muted' };

function overview(status) {
  const registry = status.registry;
  return stats([
    ['Services', registry.total_services],
    ['Healthy instances', registry.healthy_endpoints, 'ok'],
    ['Unhealthy instances', registry.unhealthy_endpoints, registry.unhealthy_endpoints ? 'bad' : null],
    ['Not checked yet', registry.unknown_endpoints],
    ['Traffic rules', registry.traffic_rules],
    ['Security rules', registry.security_rules],
    ['Certificates issued', status.certificates.issued],
    ['Revoked', status.certificates.revoked, status.certificates.revoked ? 'warn' : null],
    ['Meshes watching', status.watchers],
    ['Up for', span(status.uptime_seconds)],
  ]);
}

const services = {
  id: 'services',
  title: 'Services',
  needs: () => [SERVICES, STATUS],
  render(root, data) {
    const status = data[STATUS];
    const list = data[SERVICES].services;
    patch(root, [
      ['overview', html`<section aria-labelledby="overview-heading"><h2 id="overview-heading">Fleet</h2>
        ${overview(status)}<p class="muted">Store: ${status.store} · trust domain ${status.trust_domain}
        · revision <code>${status.revision}</code> · version ${status.version}</p>
        <p class="hint">Breakers, ejections and traffic are what each caller sees: open a process's own dashboard
        (<code>/dashboard/</code> on its admin port) for them.</p></section>`],
      ...list.map(service => [`service:${service.namespace}/${service.service_name}`, serviceSection(service)]),
      ['none', list.length ? '' : html`<p class="empty">No service is registered.</p>`],
    ]);
  },
};

function serviceSection(service) {
  const heading = `${service.namespace}/${service.service_name}`;
  const rows = service.endpoints.map(e => [
    e.id,
    html`<code>${e.ip}:${e.port}</code>`,
    badge(STATUS_BADGES[e.status] || 'muted', e.status),
    e.protocol,
    labels(e.labels),
    e.weight,
    e.health_check_path ? html`<code>GET ${e.health_check_path}</code>` : 'connection',
  ]);
  return html`<section class="service" aria-label="${heading}"><h2>${heading}
    <small>${service.healthy_endpoints} of ${service.endpoints.length} healthy</small></h2>
    ${table(`Instances of ${heading}`, ['Instance', 'Address', 'Status', 'Protocol', 'Labels', 'Weight',
      'Health check'], rows, 'No instance.')}</section>`;
}

// Rules with the same match share its calls by weight: a canary split.
function matchKey(rule) {
  return JSON.stringify([rule.namespace, rule.service, rule.match_headers || {}, rule.match_path || '',
    rule.match_method || '']);
}

function match(rule) {
  const parts = [];
  if (rule.match_path) parts.push(html`path <code>${rule.match_path}*</code>`);
  if (rule.match_method) parts.push(html`method <code>${rule.match_method}</code>`);
  for (const [name, value] of Object.entries(rule.match_headers || {})) {
    parts.push(html`header <code>${name}: ${value}</code>`);
  }
  return parts.length ? parts.map((p, i) => html`${i ? ', ' : ''}${p}`) : html`<span class="muted">every call</span>`;
}

function share(percent) {
  return html`<span class="share"><progress max="100" value="${percent}">${percent} %</progress> ${percent} %</span>`;
}

const routes = {
  id: 'routes',
  title: 'Routes and splits',
  needs: () => [VIEW],
  render(root, data) {
    const rules = data[VIEW].traffic_rules || [];
    const totals = new Map();
    for (const rule of rules) totals.set(matchKey(rule), (totals.get(matchKey(rule)) || 0) + (rule.weight ?? 100));
    const byService = group(rules, r => `${r.namespace}/${r.service}`);
    patch(root, [
      ['intro', html`<p class="hint">Traffic rules route the calls to a service, in the order they were added.
        Rules with the same match split its calls by weight.</p>`],
      ...[...byService].map(([service, list]) => [`routes:${service}`, html`<section aria-label="Routes of ${service}">
        <h2>${service}</h2>${table(`Traffic rules of ${service}`, ['Rule', 'Match', 'Destination', 'Share',
          'Timeout', 'Retries', 'Circuit breaker'], list.map(rule => [
          html`<code>${rule.id}</code>`,
          match(rule),
          html`<code>${rule.destination_service || rule.service}${rule.destination_subset
            ? ` / ${rule.destination_subset}` : ''}</code>`,
          share(Math.round(((rule.weight ?? 100) / totals.get(matchKey(rule))) * 100)),
          rule.timeout || html`<span class="muted">service's</span>`,
          rule.retry_attempts ?? html`<span class="muted">service's</span>`,
          breaker(rule.circuit_breaker),
        ]), '')}</section>`]),
      ['none', rules.length ? '' : html`<p class="empty">No traffic rule: every call goes to the whole service.</p>`],
    ]);
  },
};

function breaker(settings) {
  if (!settings) return html`<span class="muted">defaults</span>`;
  const parts = [];
  if (settings.consecutive_errors != null) parts.push(`opens after ${settings.consecutive_errors} errors`);
  if (settings.open_duration) parts.push(`for ${settings.open_duration}`);
  if (settings.max_requests != null) parts.push(`${settings.max_requests} in flight`);
  if (settings.max_pending_requests != null) parts.push(`${settings.max_pending_requests} pending`);
  return parts.join(', ');
}

function group(items, key) {
  const groups = new Map();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(item);
  }
  return groups;
}

function party(namespace, service) {
  return `${namespace || 'default'}/${service || '*'}`;
}

const authorization = {
  id: 'authorization',
  title: 'Authorization',
  needs: () => [VIEW],
  render(root, data) {
    const rules = data[VIEW].security_rules || [];
    const allowed = new Map(); // "caller -> destination" -> what the rules between them allow
    for (const r of rules) {
      const key = JSON.stringify([party(r.source_namespace, r.source_service),
        party(r.destination_namespace, r.destination_service)]);
      const what = (r.allowed_methods && r.allowed_methods.length ? r.allowed_methods.join(' ') : 'any method')
        + (r.required_jwt ? ' + JWT' : '');
      allowed.set(key, allowed.has(key) ? `${allowed.get(key)}; ${what}` : what);
    }
    const edges = [...allowed].map(([key, label]) => {
      const [from, to] = JSON.parse(key);
      return { from, to, label };
    });
    const protectedOnes = new Set(edges.map(e => e.to));
    const ids = [...new Set(edges.flatMap(e => [e.from, e.to]))];
    const drawn = graph('allowed-calls', 'Calls the security rules allow', layers(ids, edges).map(column =>
      column.map(id => ({ id, label: id, note: protectedOnes.has(id) ? 'protected by rules' : 'caller' }))), edges);
    patch(root, [
      ['intro', html`<p class="hint">A service named as the destination of a rule accepts only the callers its rules
        allow (after the rules of its own code); a service no rule names accepts every caller its mTLS mode lets in.</p>`],
      ['graph', rules.length ? drawn : ''],
      ['rules', table('Security rules', ['Rule', 'Caller', 'Destination', 'Methods', 'JWT', 'mTLS mode'], rules.map(r => [
        html`<code>${r.id}</code>`,
        party(r.source_namespace, r.source_service),
        party(r.destination_namespace, r.destination_service),
        r.allowed_methods && r.allowed_methods.length ? r.allowed_methods.join(', ') : 'any',
        r.required_jwt ? badge('warn', 'required') : 'no',
        r.mtls_mode || html`<span class="muted">fleet's</span>`,
      ]), 'No security rule: every service accepts every caller its mTLS mode lets in.')],
    ]);
  },
};

function certificateState(c, now) {
  if (c.revoked_at) return html`${badge('bad', 'revoked')} <span class="muted nowrap">${time(c.revoked_at)}</span>`;
  if (new Date(c.not_after).getTime() < now) return badge('muted', 'expired');
  return badge('ok', 'valid');
}

const certificates = {
  id: 'certificates',
  title: 'Certificates',
  needs: () => [CERTIFICATES, STATUS],
  render(root, data) {
    const status = data[STATUS];
    const now = Date.now();
    const list = [...data[CERTIFICATES].certificates]
      .sort((a, b) => new Date(b.not_before) - new Date(a.not_before));
    const revoked = list.filter(c => c.revoked_at).length;
    const expired = list.filter(c => !c.revoked_at && new Date(c.not_after).getTime() < now).length;
    patch(root, [
      ['ca', html`<section aria-labelledby="ca-heading"><h2 id="ca-heading">Certificate authority</h2>
        <p>Trust domain <code>${status.trust_domain}</code>; root certificate SHA-256
        <code class="wrap">${status.ca_fingerprint}</code>.</p>
        ${stats([['Issued', list.length], ['Valid', list.length - revoked - expired, 'ok'],
          ['Revoked', revoked, revoked ? 'bad' : null], ['Expired', expired]])}
        <p class="hint">A revoked serial is on the CA's revocation list (<a href="../api/v1/certificates/crl">CRL</a>)
        and refused at every joined mesh's next handshake.</p></section>`],
      ['list', table('Certificates issued by the control plane', ['Serial', 'Identity', 'Issued', 'Expires',
        'Key', 'State'], list.map(c => [
        html`<code>${c.serial}</code>`,
        html`<code>${c.spiffe_id}</code>`,
        time(c.not_before),
        html`${time(c.not_after)} <span class="muted nowrap">(${expiry(c.not_after, now)})</span>`,
        c.method === 'csr' ? 'workload\u2019s own (CSR)' : 'made here (issue)',
        certificateState(c, now),
      ]), 'No certificate issued yet.')],
    ]);
  },
};

// Changes of the fleet's revision seen while this page was open: the control plane keeps only the
// state in force, so the history is what this browser tab has watched.
const seen = [];

const config = {
  id: 'config',
  title: 'Config',
  needs: () => [CONFIG, STATUS],
  render(root, data) {
    const status = data[STATUS];
    const current = JSON.stringify(data[CONFIG], null, 2);
    const last = seen[seen.length - 1];
    if (!last || last.revision !== status.revision) {
      seen.push({ at: new Date().toISOString(), revision: status.revision,
        what: !last ? 'first seen' : last.config !== current ? 'config changed' : 'rules, instances or revocations changed',
        config: current });
      if (seen.length > 50) seen.shift();
    }
    patch(root, [
      ['current', html`<section aria-labelledby="config-heading"><h2 id="config-heading">In force</h2>
        <p>Every joined mesh applies this config (with the rules) to its policies; revision
        <code>${status.revision}</code>.</p><pre class="code">${current}</pre></section>`],
      ['history', html`<section aria-labelledby="seen-heading"><h2 id="seen-heading">Changes seen</h2>
        <p class="hint">Revisions this page has seen since it was opened. Each process's own dashboard lists the
        changes it applied and refused.</p>
        ${table('Revisions seen by this page', ['When', 'Revision', 'What'], [...seen].reverse().map(s => [
          time(s.at), html`<code>${s.revision}</code>`, s.what]), '')}</section>`],
    ]);
  },
};

export const fleetPages = [services, routes, authorization, certificates, config];
