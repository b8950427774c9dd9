// The dashboard: asks the server that serves it which view it is (view.json: the control plane's
// fleet, or one process's admin endpoint), then shows the page the address names (#/services,
// #/traffic/NAME, ...) and refreshes it every few seconds. When the server does not answer, the page
// keeps what it last showed, says since when it is stale, and retries until the server is back (a
// restart included), without a reload.
import { html, patch, clock, span } from './html.js';
import { fleetPages } from './fleet.js';
import { processPages } from './process.js';

const REFRESH_MS = 3000;
const MAX_RETRY_MS = 15000;
const TIMEOUT_MS = 8000;
const TOKEN_KEY = 'meshwork-dashboard-token';

const freshness = {
  box: document.getElementById('freshness'),
  state: document.getElementById('freshness-state'),
  age: document.getElementById('freshness-age'),
};
const content = document.getElementById('content');
const title = document.getElementById('page-title');
const nav = document.getElementById('nav');
const notice = document.getElementById('notice');
const staleBanner = document.getElementById('stale-banner');

let view = null;
let pages = [];
let lastOk = null;
let failure = null;
let retryMs = REFRESH_MS;
let timer = null;
let generation = 0;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// GETs `path` (relative to the dashboard: ../api/v1/services) as JSON, with the token when one is set.
async function get(path) {
  const headers = { accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(new URL(path, document.baseURI), {
      headers, cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw new HttpError(0, e.name === 'TimeoutError' ? 'no answer within 8 s' : 'server unreachable');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    throw new HttpError(response.status, (body && body.error) || `HTTP ${response.status}`);
  }
  return body;
}

function route() {
  const [id, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = pages.find(p => p.id === id) || pages[0];
  return { page, argument: rest.length ? decodeURIComponent(rest.join('/')) : null };
}

function showNav(current) {
  patch(nav, pages.map(p => [p.id, html`<a href="#/${p.id}" ${p === current ? html`aria-current="page"` : ''}
    >${p.title}</a>`]), 'li');
}

// The state word goes to the live region only when it changes, so a screen reader hears "Live" and
// "Stale" once each; the age next to it ticks without being announced.
function setFreshness(state, words) {
  freshness.box.dataset.state = state;
  if (freshness.state.textContent !== words) freshness.state.textContent = words;
  document.body.classList.toggle('stale', state === 'stale');
  staleBanner.hidden = state !== 'stale' || lastOk == null;
  if (!staleBanner.hidden) {
    staleBanner.textContent = `Showing what the server answered at ${clock(lastOk)}: it has not answered since`
      + ` (${failure}). The page retries by itself.`;
  }
  tickAge();
}

function tickAge() {
  if (lastOk == null) {
    freshness.age.textContent = failure ? `(${failure})` : '';
    return;
  }
  const seconds = (Date.now() - lastOk) / 1000;
  freshness.age.textContent = failure
    ? `last update ${clock(lastOk)}, ${span(seconds)} ago (${failure})`
    : `updated ${clock(lastOk)}`;
}

function askForToken(message) {
  notice.hidden = false;
  if (notice.querySelector('form')) return;
  notice.innerHTML = String(html`<form class="token">
    <p>${message}</p>
    <label for="token-input">Token</label>
    <input id="token-input" type="password" autocomplete="off" required>
    <button type="submit">Use this token</button>
    <p class="muted">Kept for this browser tab only (session storage).</p></form>`);
  notice.querySelector('form').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, notice.querySelector('input').value.trim());
    notice.hidden = true;
    notice.innerHTML = '';
    refresh();
  });
}

async function refresh() {
  clearTimeout(timer);
  const mine = ++generation;
  const { page, argument } = route();
  try {
    const paths = page.needs(argument);
    const answers = await Promise.all(paths.map(get));
    if (mine !== generation) return; // the page changed meanwhile
    const data = Object.fromEntries(paths.map((path, i) => [path, answers[i]]));
    lastOk = Date.now();
    failure = null;
    retryMs = REFRESH_MS;
    setFreshness('live', 'Live');
    page.render(content, data, argument);
  } catch (e) {
    if (mine !== generation) return;
    if (!(e instanceof HttpError)) { // the answer came but could not be drawn: say so, keep refreshing
      console.error(e);
      patch(content, [['error', html`<p class="error" role="alert">This page could not be drawn: ${e.message}</p>`]]);
      return;
    }
    failure = e.message;
    if (e.status === 401) {
      askForToken(`This server needs a token to read (${e.message}).`);
      setFreshness('stale', 'Waiting for a token');
    } else {
      setFreshness('stale', lastOk == null ? 'Not connected: retrying'
        : `Stale: no answer since ${clock(lastOk)}, retrying`);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
  } finally {
    if (mine === generation) timer = setTimeout(refresh, failure ? retryMs : REFRESH_MS);
  }
}

function show() {
  const { page } = route();
  showNav(page);
  title.textContent = page.title;
  document.title = `${page.title} · ${view.title} · Meshwork`;
  content.replaceChildren();
  content.insertAdjacentHTML('afterbegin', '<p class="muted">Loading…</p>');
  content.firstChild.dataset.key = 'loading';
  refresh();
}

async function start() {
  try {
    const about = await get('view.json');
    view = about.view === 'fleet'
      ? { title: 'Control plane', pages: fleetPages }
      : { title: `${about.service || 'process'} (this process)`, pages: processPages };
    document.getElementById('view-name').textContent = view.title;
    pages = view.pages;
    window.addEventListener('hashchange', show);
    setInterval(tickAge, 1000);
    show();
  } catch (e) {
    failure = e.message;
    setFreshness('stale', 'Not connected: retrying');
    setTimeout(start, Math.min((retryMs *= 2), MAX_RETRY_MS));
  }
}

start();
