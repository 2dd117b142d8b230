// Runs: GET /v1/ballast/runs with the API's filters, one page at a time (keyset cursor), and a
// box that opens a run by id.
import { api, q, session } from '../api.js';
import { h, fmt, field, select, table, badge, runLink, duration } from '../ui.js';
import { go } from '../app.js';

const FILTERS = ['model', 'status', 'error_class', 'pipeline', 'since', 'until', 'tenant'];

export async function render(main, params) {
  main.append(h('h1', {}, 'Runs'));
  const idInput = h('input', { name: 'id', placeholder: 'run_… or prun_…', 'aria-label': 'Run id', size: 30 });
  main.append(h('form', { class: 'filters panel', role: 'search', onsubmit: e => {
    e.preventDefault();
    if (idInput.value.trim()) location.hash = '#/runs/' + encodeURIComponent(idInput.value.trim());
  } }, field('Open a run by id', idInput), h('button', { type: 'submit' }, 'Open')));

  const form = h('form', { class: 'filters panel', 'aria-label': 'Filters', onsubmit: e => {
    e.preventDefault();
    const d = new FormData(form);
    const next = {};
    FILTERS.forEach(f => { next[f] = d.get(f); });
    ['since', 'until'].forEach(f => { if (next[f]) next[f] = new Date(next[f]).toISOString(); });
    next.limit = d.get('limit');
    go('runs', next);
  } },
  field('Model group', h('input', { name: 'model', value: params.model || '' })),
  field('Status', select('status', [['', 'any'], 'running', 'succeeded', 'failed', 'dead'], params.status || '')),
  field('Error class', h('input', { name: 'error_class', value: params.error_class || '', placeholder: 'e.g. timeout' })),
  field('Pipeline', h('input', { name: 'pipeline', value: params.pipeline || '' })),
  field('Since', h('input', { name: 'since', type: 'datetime-local', value: local(params.since) })),
  field('Until', h('input', { name: 'until', type: 'datetime-local', value: local(params.until) })),
  session.isAdmin() ? field('Tenant', h('input', { name: 'tenant', value: params.tenant || '', placeholder: 'all tenants' })) : null,
  field('Per page', select('limit', ['25', '50', '100', '200'], params.limit || '50')),
  h('button', { type: 'submit' }, 'Filter'));
  main.append(form);

  const query = { limit: params.limit || 50, after: params.after };
  FILTERS.forEach(f => { query[f] = params[f]; });
  const started = performance.now();
  const page = await api('/v1/ballast/runs' + q(query));
  const took = Math.round(performance.now() - started);
  const columns = [
    { label: 'Run', render: r => runLink(r.id) },
    { label: 'Started', render: r => fmt.time(r.started_at) },
    session.isAdmin() ? { label: 'Tenant', render: r => r.tenant ?? '–' } : null,
    { label: 'Kind', render: r => r.kind === 'pipeline' ? `pipeline ${r.operation}` : (r.operation ?? '–') },
    { label: 'Model', render: r => r.model ?? '–' },
    { label: 'Status', render: r => badge(r.status) },
    { label: 'Error class', render: r => r.error_class ?? '' },
    { label: 'Deployment', render: r => r.deployment ?? '' },
    { label: 'Latency', num: true, render: r => fmt.ms(duration(r)) },
    { label: 'Tokens', num: true, render: r => fmt.int(r.input_tokens + r.output_tokens) },
    { label: 'Cost', num: true, render: r => fmt.usd(r.cost) },
    { label: 'Attempts', num: true, render: r => r.attempts },
  ].filter(Boolean);
  main.append(h('p', { class: 'muted', 'data-testid': 'runs-meta' },
    `${page.data.length} run${page.data.length === 1 ? '' : 's'} on this page, read in ${took} ms.`));
  main.append(h('div', { 'data-testid': 'runs-table' }, table(columns, page.data)));
  if (page.data.length === 0) main.append(h('p', { class: 'notice' }, 'No runs match these filters.'));

  const nav = h('div', { class: 'row' });
  const back = (params.back || '').split(',').filter(Boolean);
  if (params.after) {
    nav.append(h('button', { type: 'button', class: 'secondary', onclick: () => {
      const prev = back.slice(0, -1);
      go('runs', { ...params, after: back[back.length - 1] === '-' ? '' : back[back.length - 1], back: prev.join(',') });
    } }, '← Newer'));
  }
  if (page.has_more) {
    nav.append(h('button', { type: 'button', 'data-testid': 'next-page', onclick: () =>
      go('runs', { ...params, after: page.next_cursor, back: [...back, params.after || '-'].join(',') }) }, 'Older →'));
  }
  main.append(nav);
}

function local(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return '';
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
