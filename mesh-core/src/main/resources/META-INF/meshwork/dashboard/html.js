// Markup with every value escaped, and the formats the pages share. Values come from registrations
// and configs that any workload may write, so nothing is ever inserted unescaped: html`` escapes each
// interpolation unless it is markup made by html`` itself.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

class Markup {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

export function esc(value) {
  return String(value).replace(/[&<>"']/g, c => ESCAPES[c]);
}

function piece(value) {
  if (value == null || value === false) return '';
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(piece).join('');
  return esc(value);
}

export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((value, i) => { out += piece(value) + strings[i + 1]; });
  return new Markup(out);
}

// Replaces the children of `container` by the keyed parts [[key, markup]], each in an element `tag`,
// touching only the parts whose markup changed: a refresh keeps focus, scroll position and live charts.
export function patch(container, parts, tag = 'div') {
  const old = new Map([...container.children].map(el => [el.dataset.key, el]));
  let previous = null;
  for (const [key, markup] of parts) {
    let el = old.get(key);
    old.delete(key);
    if (!el) {
      el = document.createElement(tag);
      el.dataset.key = key;
    }
    const text = String(markup);
    if (el.markupText !== text) {
      el.innerHTML = text;
      el.markupText = text;
    }
    const wanted = previous ? previous.nextSibling : container.firstChild;
    if (wanted !== el) container.insertBefore(el, wanted);
    previous = el;
  }
  old.forEach(el => el.remove());
}

// A table with a caption, column headers and the first cell of each row as its row header.
export function table(caption, columns, rows, empty) {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<div class="table-wrap" role="region" aria-label="${caption}" tabindex="0"><table>
    <caption>${caption}</caption>
    <thead><tr>${columns.map(c => html`<th scope="col">${c}</th>`)}</tr></thead>
    <tbody>${rows.map(row => html`<tr>${row.map((cell, i) => i === 0
      ? html`<th scope="row">${cell}</th>` : html`<td>${cell}</td>`)}</tr>`)}</tbody>
  </table></div>`;
}

// A short word in a coloured box; the word carries the meaning, the colour only repeats it.
export function badge(kind, text) {
  return html`<span class="badge badge-${kind}">${text}</span>`;
}

export function labels(map) {
  const entries = Object.entries(map || {});
  if (entries.length === 0) return html`<span class="muted">none</span>`;
  return html`<ul class="chips">${entries.map(([k, v]) => html`<li><code>${k}=${v}</code></li>`)}</ul>`;
}

export function stats(items) {
  return html`<dl class="stats">${items.map(([term, value, kind]) =>
    html`<div class="stat ${kind ? 'stat-' + kind : ''}"><dt>${term}</dt><dd>${value}</dd></div>`)}</dl>`;
}

export function number(value, digits = 1) {
  return value == null || Number.isNaN(value) ? '–' : Number(value).toFixed(digits);
}

export function percent(share) {
  return share == null || Number.isNaN(share) ? '–' : `${(share * 100).toFixed(1)} %`;
}

export function millis(value) {
  return value == null || Number.isNaN(value) ? '–' : `${Number(value).toFixed(value < 10 ? 2 : 1)} ms`;
}

// "3 h 12 min", "45 s", "10 min": a span of seconds as a person reads it, to two units at most.
export function span(seconds) {
  const s = Math.abs(Math.round(seconds));
  const two = (big, bigUnit, small, smallUnit) => (small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`);
  if (s < 60) return `${s} s`;
  if (s < 3600) return two(Math.floor(s / 60), 'min', s % 60, 's');
  if (s < 86400) return two(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min');
  if (s < 60 * 86400) return two(Math.floor(s / 86400), 'd', Math.floor((s % 86400) / 3600), 'h');
  if (s < 730 * 86400) return `${Math.floor(s / 86400)} d`;
  return `${Math.floor(s / (365.25 * 86400))} years`;
}

// "2026-11-30 21:04:05" in the browser's time zone: short, sortable, the same in every locale.
export function time(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = n => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} `
    + `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

export function clock(millisSinceEpoch) {
  return time(new Date(millisSinceEpoch).toISOString()).slice(11);
}

// When a certificate or a token expires, relative to now: "in 23 h 59 min" or "2 h 3 min ago".
export function expiry(iso, now = Date.now()) {
  const left = (new Date(iso).getTime() - now) / 1000;
  return left >= 0 ? `in ${span(left)}` : `${span(left)} ago`;
}
