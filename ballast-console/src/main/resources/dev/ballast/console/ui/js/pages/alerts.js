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
      { label: 'Opened', render: a => opened(a) },
      { label: 'Resolved', render: a => a.resolved_at ? fmt.time(a.resolved_at) : '–' },
      { label: 'Last good / first bad', render: a => goodBad(a) },
    ], list));
  }
}

// Baseline against now as Watch measured them (GET /v1/ballast/alerts: baseline, current, unit,
// samples), then the detector's own numbers.
function numbers(a) {
  const round = v => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v);
  const unit = a.unit ? ` ${a.unit}` : '';
  const parts = [];
  if (a.baseline !== undefined && a.baseline !== null && a.current !== undefined && a.current !== null) {
    parts.push(`baseline ${round(a.baseline)}${unit} → now ${round(a.current)}${unit}`);
  }
  if (a.samples) parts.push(`${a.samples} sample${a.samples === 1 ? '' : 's'}`);
  for (const [k, v] of Object.entries(a.numbers ?? {})) parts.push(`${k}: ${round(v)}`);
  return parts.join(', ') || '–';
}

// When it opened, and the detector's estimate of when the change began if that reads differently.
function opened(a) {
  const at = fmt.time(a.opened_at);
  const onset = a.onset_at ? fmt.time(a.onset_at) : at;
  return onset === at ? at : `${at} (onset ${onset})`;
}

function goodBad(a) {
  const good = a.last_good_run ?? a.last_good?.run_id;
  const bad = a.first_bad_run ?? a.first_bad?.run_id;
  if (!good || !bad) return '–';
  return h('span', {}, runLink(good), ' / ', runLink(bad), ' · ',
    link(`#/diff?a=${encodeURIComponent(good)}&b=${encodeURIComponent(bad)}`, 'diff'));
}
