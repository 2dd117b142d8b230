// The console's shell: sign-in, navigation and a hash router (#/page/arg?query), so every view
// has a URL an operator can share and the server serves one static page.
import { session, api } from './api.js';
import { h, clear, errorBox } from './ui.js';
import * as overview from './pages/overview.js';
import * as runs from './pages/runs.js';
import * as run from './pages/run.js';
import * as diff from './pages/diff.js';
import * as pipelines from './pages/pipelines.js';
import * as deployments from './pages/deployments.js';
import * as collections from './pages/collections.js';
import * as alerts from './pages/alerts.js';

const PAGES = [
  ['overview', 'Overview', overview],
  ['runs', 'Runs', runs],
  ['diff', 'Diff', diff],
  ['pipelines', 'Pipelines', pipelines],
  ['deployments', 'Deployments', deployments],
  ['collections', 'Collections & memory', collections],
  ['alerts', 'Alerts', alerts],
];

const main = document.getElementById('main');
let cleanup = null;
let visit = 0;

export function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] || 'overview', arg: parts.slice(1).join('/'), params: Object.fromEntries(new URLSearchParams(query)) };
}

export function go(page, params = {}, arg) {
  const s = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== '') s.set(k, v); });
  const query = s.toString();
  location.hash = '#/' + page + (arg ? '/' + encodeURIComponent(arg) : '') + (query ? '?' + query : '');
}

function renderNav(current) {
  const nav = clear(document.getElementById('nav'));
  if (!session.key()) return;
  PAGES.forEach(([id, label]) => nav.append(
    h('a', { href: '#/' + id, 'aria-current': current === id || (current === 'run' && id === 'runs') ? 'page' : null }, label)));
  const who = clear(document.getElementById('who'));
  who.append(
    h('span', { 'data-testid': 'whoami' }, `${session.tenant()} · ${session.role()}`),
    h('button', { class: 'secondary', type: 'button', onclick: signOut }, 'Sign out'));
}

function signOut() {
  session.clear();
  clear(document.getElementById('who'));
  location.hash = '#/signin';
}

function signIn(main, params) {
  const input = h('input', { type: 'password', name: 'key', id: 'key', autocomplete: 'off', required: true, 'aria-describedby': 'key-help' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'panel signin', onsubmit: async e => {
    e.preventDefault();
    clear(out);
    const key = input.value.trim();
    try {
      const who = await api('/v1/ballast/whoami', { key });
      session.save(key, who);
      location.hash = params.next ? decodeURIComponent(params.next) : '#/overview';
    } catch (err) {
      out.append(h('p', { class: 'error', role: 'alert', 'data-testid': 'signin-error' },
        err.status === 401 ? `That key was refused: ${err.message}` : err.words));
    }
  } },
  h('h1', {}, 'Sign in'),
  h('p', { id: 'key-help', class: 'muted' }, 'Use a virtual key of this gateway. It is kept in this tab only and sent as the bearer token; closing the tab forgets it.'),
  h('label', { for: 'key' }, 'Virtual key', input),
  h('p', {}, h('button', { type: 'submit' }, 'Sign in')),
  out);
  main.append(form);
  input.focus();
}

async function route() {
  if (cleanup) { try { cleanup(); } catch { /* a page's timers only */ } cleanup = null; }
  const { page, arg, params } = parseHash();
  clear(main);
  if (!session.key() && page !== 'signin') {
    location.replace('#/signin?next=' + encodeURIComponent(location.hash || '#/overview'));
    return;
  }
  renderNav(page === 'runs' && arg ? 'run' : page);
  document.title = 'Ballast console';
  if (page === 'signin') { signIn(main, params); return; }
  const module = page === 'runs' && arg ? run : PAGES.find(([id]) => id === page)?.[2];
  if (!module) { main.append(h('h1', {}, 'Not found'), h('p', {}, `The console has no page “${page}”.`)); return; }
  // Each visit renders into a view of its own: a page still waiting on the API when the operator
  // moves on appends to a detached view, never to the next page.
  const view = h('div', { class: 'view' });
  main.append(view);
  const current = ++visit;
  try {
    const done = await module.render(view, params, arg);
    // A page left before it finished rendering stops its timers and charts at once.
    if (current !== visit) { if (done) done(); return; }
    cleanup = done || null;
  } catch (e) {
    if (current !== visit) return;
    if (e.status === 401) { session.clear(); location.hash = '#/signin'; return; }
    view.append(errorBox(e));
  }
  main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
route();
