// Open alerts from Watch (GET /v1/ballast/alerts). A node without Watch answers 404: the console
// says so instead of failing.
import { api } from '../api.js';
import { h, fmt, badge } from '../ui.js';

export async function loadAlerts() {
  try {
    const json = await api('/v1/ballast/alerts');
    return { enabled: true, alerts: json.data ?? json.alerts ?? [] };
  } catch (e) {
    if (e.status === 404) return { enabled: false, alerts: [] };
    throw e;
  }
}

export const WATCH_OFF = 'Watch is not enabled on this node';

export function alertsStrip(result) {
  if (!result.enabled) {
    return h('p', { class: 'notice alerts-strip', 'data-testid': 'alerts-off' }, WATCH_OFF + ': no alerts are computed here.');
  }
  const open = result.alerts.filter(a => (a.status ?? a.state) !== 'resolved');
  if (open.length === 0) return h('p', { class: 'notice alerts-strip', 'data-testid': 'alerts-none' }, 'No open alerts.');
  return h('div', { class: 'panel alerts-strip', 'data-testid': 'alerts-open' },
    h('strong', {}, `${open.length} open alert${open.length > 1 ? 's' : ''}: `),
    open.slice(0, 5).map(a => h('span', {}, ' ', badge(a.severity ?? 'open'), ' ', a.title ?? a.signal ?? a.series ?? a.id,
      a.opened_at ? ` since ${fmt.time(a.opened_at)}` : '')),
    ' ', h('a', { href: '#/alerts' }, 'See alerts'));
}
