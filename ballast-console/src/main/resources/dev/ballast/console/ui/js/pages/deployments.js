// Deployments, live: breaker state, cooldown, in-flight calls and retry budget from
// GET /v1/ballast/status, breaker transitions since this node started from GET /metrics, and the
// recent outcome mix and latency per deployment from GET /v1/ballast/stats?by=deployment&window=15m.
// Refreshes every few seconds until left.
import { api } from '../api.js';
import { h, clear, fmt, table, badge, errorBox } from '../ui.js';

const EVERY_MS = 5000;

export async function render(main) {
  main.append(h('h1', {}, 'Deployments'));
  const status = h('p', { class: 'muted', 'data-testid': 'live', 'aria-live': 'off' });
  const pause = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', onclick: () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    pause.textContent = paused ? 'Resume live refresh' : 'Pause live refresh';
  } }, 'Pause live refresh');
  const body = h('div', { 'data-testid': 'deployments' });
  main.append(h('div', { class: 'row' }, status, pause), body);
  let paused = false;
  const refresh = async () => {
    try {
      const [s, stats, transitions] = await Promise.all([
        api('/v1/ballast/status'), api('/v1/ballast/stats?by=deployment&window=15m'), breakerTransitions()]);
      clear(body).append(view(s, stats, transitions));
      status.textContent = `Live: updated ${new Date().toLocaleTimeString('en-GB', { hour12: false })}, every ${EVERY_MS / 1000} s.`;
    } catch (e) {
      clear(body).append(errorBox(e));
    }
  };
  await refresh();
  const timer = setInterval(() => { if (!paused && !document.hidden) refresh(); }, EVERY_MS);
  return () => clearInterval(timer);
}

/**
 * Breaker transitions per deployment and state entered, from this node's Prometheus counters
 * (ballast_breaker_transitions_total); empty when the node's metrics cannot be read.
 */
async function breakerTransitions() {
  const out = {};
  try {
    const response = await fetch('/metrics');
    if (!response.ok) return out;
    for (const line of (await response.text()).split('\n')) {
      if (!line.startsWith('ballast_breaker_transitions_total{')) continue;
      const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]]));
      const count = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (labels.deployment && labels.state && count > 0) {
        (out[labels.deployment] ||= {})[labels.state] = count;
      }
    }
  } catch { /* transitions are extra: the table stands without them */ }
  return out;
}

function view(s, stats, transitions) {
  if (s.scope === 'tenant') {
    // A tenant's key sees its own counters only (docs/security.md); breakers and budgets are node-wide.
    return h('p', { class: 'muted', 'data-testid': 'tenant-scope' },
      'Breakers, budgets and the journal are node-wide details, shown to an administrator\'s key only.');
  }
  const recent = Object.fromEntries(stats.series.map(x => [x.name, x]));
  const rows = Object.entries(s.deployments).sort(([a], [b]) => a.localeCompare(b)).map(([name, d]) => ({ name, d, r: recent[name] }));
  return h('div', {},
    table([
      { label: 'Deployment', render: x => h('strong', {}, x.name) },
      { label: 'Breaker', render: x => badge(x.d.breaker) },
      { label: 'Transitions (this node)', render: x => Object.entries(transitions[x.name] || {}).map(([k, v]) => `→${k} ${v}`).join(', ') || 'none' },
      { label: 'Cooldown until', render: x => x.d.cooldown_until ? fmt.time(x.d.cooldown_until) : '–' },
      { label: 'In flight', num: true, render: x => x.d.in_flight },
      { label: 'Retry budget left', num: true, render: x => x.d.retry_budget_remaining.toFixed(1) },
      { label: 'Attempts (15 min)', num: true, render: x => fmt.int(x.r?.totals.requests ?? 0) },
      { label: 'Outcome mix (15 min)', render: x => mix(x.r) },
      { label: 'p50 / p99', num: true, render: x => latency(x.r) },
    ], rows, { caption: 'Breakers and budgets are this node\'s; attempts are every node\'s, from the store' }),
    h('p', { class: 'muted' }, `Global retry budget left: ${s.retry_budget_remaining.toFixed(1)}. Journal: ${fmt.int(s.journal.written)} written, ${s.journal.queued} queued, ${s.journal.spooled} spooled.`));
}

function mix(r) {
  if (!r || r.totals.requests === 0) return h('span', { class: 'muted' }, 'no attempts');
  const total = r.totals.requests;
  const errors = r.totals.errors;
  const ok = total - errors;
  const classes = Object.entries(r.totals.errors_by_class).map(([k, v]) => `${k} ${v}`).join(', ');
  return h('span', { class: 'row' },
    h('span', { class: 'mix', role: 'img', 'aria-label': `${ok} ok, ${errors} errors` },
      h('span', { class: 'ok', style: `width:${(ok / total * 100).toFixed(1)}%` }),
      h('span', { class: 'err', style: `width:${(errors / total * 100).toFixed(1)}%` })),
    `${ok} ok` + (errors ? `, ${classes}` : ''));
}

function latency(r) {
  if (!r) return '–';
  for (let i = r.latency_p50_ms.length - 1; i >= 0; i--) {
    if (r.latency_p50_ms[i] !== null) return `${fmt.ms(r.latency_p50_ms[i])} / ${fmt.ms(r.latency_p99_ms[i])}`;
  }
  return '–';
}
