// Pipelines: per pipeline its queue by state, oldest ready age, runs per second and failures per
// stage (GET /v1/ballast/stats/pipelines, GET /v1/pipelines), and the dead runs with a Resume
// button (GET /v1/pipelines/runs?state=dead).
import { api, q, session } from '../api.js';
import { h, fmt, table, runLink, field } from '../ui.js';
import { resumeButton } from './resume.js';
import { go } from '../app.js';

const STATES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'dead'];

export async function render(main, params) {
  main.append(h('h1', {}, 'Pipelines'));
  if (session.isAdmin()) {
    const t = h('input', { name: 'tenant', value: params.tenant || '', placeholder: 'all tenants' });
    main.append(h('form', { class: 'filters panel', onsubmit: e => { e.preventDefault(); go('pipelines', { tenant: t.value.trim() }); } },
      field('Tenant', t), h('button', { type: 'submit' }, 'Show')));
  }
  const [defs, stats, dead] = await Promise.all([
    api('/v1/pipelines'),
    api('/v1/ballast/stats/pipelines' + q({ tenant: params.tenant })),
    api('/v1/pipelines/runs?state=dead&limit=100'),
  ]);
  const byName = Object.fromEntries(stats.data.map(s => [s.pipeline, s]));
  const rows = defs.data.map(d => ({ def: d, s: byName[d.name] }));
  stats.data.filter(s => !defs.data.some(d => d.name === s.pipeline)).forEach(s => rows.push({ def: { name: s.pipeline, stages: [] }, s }));
  main.append(h('div', { 'data-testid': 'pipelines-table' }, table([
    { label: 'Pipeline', render: r => h('span', {}, h('strong', {}, r.def.name), r.def.version ? h('span', { class: 'muted' }, ' @' + r.def.version) : '') },
    ...STATES.map(s => ({ label: s, num: true, render: r => fmt.int(r.s?.queue[s] ?? 0) })),
    { label: 'Oldest ready', num: true, render: r => r.s ? fmt.age(r.s.oldest_ready_ms) : '–' },
    { label: 'Runs/s (5 min)', num: true, render: r => r.s ? r.s.succeeded_per_second.toFixed(3) : '–' },
    { label: 'Failures by stage', render: r => r.s && Object.keys(r.s.failures_by_stage).length
      ? Object.entries(r.s.failures_by_stage).map(([k, v]) => `${k || '(none)'}: ${v}`).join(', ') : '–' },
    { label: 'Stages', render: r => (r.def.stages || []).map(s => `${s.name} (${s.type})`).join(' → ') },
  ], rows, { caption: `Queue now; succeeded runs counted over the last ${stats.recent_window_seconds / 60} minutes` })));

  main.append(h('h2', {}, 'Dead runs'));
  if (dead.data.length === 0) {
    main.append(h('p', { class: 'notice', 'data-testid': 'no-dead' }, 'No dead runs.'));
    return;
  }
  main.append(h('div', { 'data-testid': 'dead-runs' }, table([
    { label: 'Run', render: r => runLink(r.id) },
    { label: 'Pipeline', render: r => r.pipeline },
    { label: 'Failed stage', render: r => r.failed_stage ?? '–' },
    { label: 'Attempts', num: true, render: r => r.attempts },
    { label: 'Error', render: r => h('span', { class: 'muted' }, r.error ?? '–') },
    { label: 'Since', render: r => fmt.time(r.updated_at) },
    { label: '', render: r => resumeButton(r.id, () => setTimeout(() => window.dispatchEvent(new HashChangeEvent('hashchange')), 300)) },
  ], dead.data)));
}
