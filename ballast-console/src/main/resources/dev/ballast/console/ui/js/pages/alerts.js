// Alerts from Watch (GET /v1/ballast/alerts): open and resolved, their numbers, and the diff of
// the last good and first bad run. A node without Watch says so.
import { h, fmt, table, badge, runLink, link } from '../ui.js';
import { loadAlerts, WATCH_OFF } from './alertsStrip.js';

export async function render(main) {
  main.append(h('h1', {}, 'Alerts'));
  const result = await loadAlerts();
  if (!result.enabled) {
    main.append(h('p', { class: 'notice', 'data-testid': 'alerts-off' },
      `${WATCH_OFF}. This node's API answers 404 for /v1/ballast/alerts; alerts appear here once Watch runs.`));
    return;
  }
  const alerts = result.alerts;
  const open = alerts.filter(a => (a.status ?? a.state) !== 'resolved');
  const resolved = alerts.filter(a => (a.status ?? a.state) === 'resolved');
  for (const [title, list] of [['Open', open], ['Resolved', resolved]]) {
    main.append(h('h2', {}, `${title} (${list.length})`));
    if (list.length === 0) { main.append(h('p', { class: 'muted' }, 'None.')); continue; }
    main.append(table([
      { label: 'Alert', render: a => h('span', {}, badge(a.severity ?? a.status ?? a.state), ' ', a.title ?? a.signal ?? a.id) },
      { label: 'Series', render: a => a.series ?? [a.kind, a.name].filter(Boolean).join(' ') },
      { label: 'Numbers', render: a => numbers(a) },
      { label: 'Opened', render: a => fmt.time(a.opened_at) },
      { label: 'Resolved', render: a => a.resolved_at ? fmt.time(a.resolved_at) : '–' },
      { label: 'Last good / first bad', render: a => goodBad(a) },
    ], list));
  }
}

function numbers(a) {
  const n = a.numbers ?? a.values ?? {};
  const parts = Object.entries(n).map(([k, v]) => `${k}: ${typeof v === 'number' ? Math.round(v * 1000) / 1000 : v}`);
  if (a.baseline !== undefined) parts.push(`baseline: ${a.baseline}`);
  if (a.observed !== undefined) parts.push(`observed: ${a.observed}`);
  return parts.join(', ') || '–';
}

function goodBad(a) {
  const good = a.last_good_run ?? a.last_good?.run_id;
  const bad = a.first_bad_run ?? a.first_bad?.run_id;
  if (!good || !bad) return '–';
  return h('span', {}, runLink(good), ' / ', runLink(bad), ' · ',
    link(`#/diff?a=${encodeURIComponent(good)}&b=${encodeURIComponent(bad)}`, 'diff'));
}
