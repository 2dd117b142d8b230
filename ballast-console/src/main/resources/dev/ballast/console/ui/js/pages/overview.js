// Overview: time series per model group or deployment for a window, from
// GET /v1/ballast/stats?window=&by=, with Watch's open alerts on top.
import { api, q, session } from '../api.js';
import { h, fmt, field, select, table, errorBox } from '../ui.js';
import { lineChart } from '../chart.js';
import { loadAlerts, alertsStrip } from './alertsStrip.js';
import { go } from '../app.js';

const WINDOWS = [['15m', '15 minutes'], ['1h', '1 hour'], ['6h', '6 hours'], ['24h', '24 hours'], ['7d', '7 days']];

const METRICS = [
  ['Requests', s => s.requests, fmt.int],
  ['Error rate', s => s.error_rate, fmt.pct, v => Math.round(v * 100) + '%'],
  ['Latency p50', s => s.latency_p50_ms, fmt.ms],
  ['Latency p99', s => s.latency_p99_ms, fmt.ms],
  ['Time to first token p50', s => s.ttft_p50_ms, fmt.ms],
  ['Tokens (input + output)', s => s.input_tokens.map((v, i) => v + s.output_tokens[i]), fmt.int],
  ['Cost', s => s.cost, fmt.usd, v => '$' + Number(v.toPrecision(2))],
];

export async function render(main, params) {
  const window_ = params.window || '1h';
  const by = params.by || 'group';
  const tenant = params.tenant || '';
  main.append(h('h1', {}, 'Overview'));
  const strip = h('div', { 'data-testid': 'alerts-strip' }, h('p', { class: 'muted' }, 'Reading alerts…'));
  main.append(strip);
  loadAlerts().then(r => strip.replaceChildren(alertsStrip(r))).catch(e => strip.replaceChildren(errorBox(e)));

  const form = h('form', { class: 'filters panel', onsubmit: e => {
    e.preventDefault();
    const d = new FormData(form);
    go('overview', { window: d.get('window'), by: d.get('by'), tenant: d.get('tenant') });
  } },
  field('Window', select('window', WINDOWS, window_)),
  field('Per', select('by', [['group', 'model group'], ['deployment', 'deployment']], by)),
  session.isAdmin() ? field('Tenant (empty: all)', h('input', { name: 'tenant', value: tenant, placeholder: 'all tenants' })) : null,
  h('button', { type: 'submit' }, 'Show'));
  main.append(form);

  const reading = h('p', { class: 'muted', role: 'status' }, `Reading ${WINDOWS.find(w => w[0] === window_)?.[1] ?? window_} of statistics…`);
  main.append(reading);
  const started = performance.now();
  const stats = await api('/v1/ballast/stats' + q({ window: window_, by, tenant }));
  const took = Math.round(performance.now() - started);
  const series = stats.series;
  reading.replaceWith(h('p', { class: 'muted', 'data-testid': 'window' },
    `${fmt.time(stats.since)} – ${fmt.time(stats.until)}, ${stats.step_seconds} s buckets, per ${by === 'group' ? 'model group' : 'deployment'}` +
    (stats.tenant ? `, tenant ${stats.tenant}` : session.isAdmin() ? ', all tenants' : '') + `; read in ${took} ms.`));
  if (series.length === 0) {
    main.append(h('p', { class: 'notice', 'data-testid': 'no-data' }, 'No requests in this window.'));
    return;
  }
  main.append(table([
    { label: by === 'group' ? 'Model group' : 'Deployment', render: s => s.name },
    { label: 'Requests', num: true, render: s => fmt.int(s.totals.requests) },
    { label: 'Errors', num: true, render: s => fmt.int(s.totals.errors) },
    { label: 'Errors by class', render: s => Object.entries(s.totals.errors_by_class).map(([k, v]) => `${k}: ${v}`).join(', ') || '–' },
    { label: 'Input tokens', num: true, render: s => fmt.int(s.totals.input_tokens) },
    { label: 'Output tokens', num: true, render: s => fmt.int(s.totals.output_tokens) },
    { label: 'Cost', num: true, render: s => fmt.usd(s.totals.cost) },
  ], series, { caption: 'Totals over the window' }));

  const grid = h('div', { class: 'grid', 'data-testid': 'charts' });
  main.append(grid);
  const charts = [];
  for (const [title, pick, format, axisFormat] of METRICS) {
    const box = h('div', { class: 'panel chart' }, h('h3', {}, title));
    grid.append(box);
    charts.push(lineChart(box, stats.buckets, series.map(s => ({ label: s.name, values: pick(s) })), { format, axisFormat }));
  }
  // Errors by class, all series together: one line per class.
  const classes = {};
  series.forEach(s => Object.entries(s.errors).forEach(([k, values]) => {
    classes[k] = (classes[k] || stats.buckets.map(() => 0)).map((v, i) => v + values[i]);
  }));
  if (Object.keys(classes).length) {
    const box = h('div', { class: 'panel chart' }, h('h3', {}, 'Errors by class'));
    grid.append(box);
    charts.push(lineChart(box, stats.buckets, Object.entries(classes).map(([k, v]) => ({ label: k, values: v })), { format: fmt.int }));
  }
  return () => charts.forEach(c => c.destroy());
}
