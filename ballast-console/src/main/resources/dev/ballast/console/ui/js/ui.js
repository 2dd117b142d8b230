// Small DOM helpers: elements built from data, never from HTML strings, so nothing the API
// returns is ever parsed as markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    // Through the CSSOM: the Content-Security-Policy forbids style attributes in markup.
    else if (k === 'style') el.style.cssText = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export const clear = el => { while (el.firstChild) el.firstChild.remove(); return el; };

export function errorBox(e) {
  return h('p', { class: 'error', role: 'alert' }, e.words ?? String(e.message ?? e));
}

export function badge(status) {
  if (status === undefined || status === null || status === '') return '';
  const s = String(status);
  return h('span', { class: 'badge s-' + s.replace(/[^a-z_]/gi, '_') }, s);
}

export function table(columns, rows, { caption, rowAttrs } = {}) {
  const thead = h('thead', {}, h('tr', {}, columns.map(c => h('th', { class: c.num ? 'num' : null, scope: 'col' }, c.label))));
  const tbody = h('tbody', {}, rows.map((row, i) =>
    h('tr', rowAttrs ? rowAttrs(row, i) : {}, columns.map(c => h('td', { class: c.num ? 'num' : null }, c.render(row, i))))));
  return h('div', { class: 'table-wrap' },
    h('table', {}, caption ? h('caption', { class: 'muted' }, caption) : null, thead, tbody));
}

export const fmt = {
  ms: v => v === null || v === undefined ? '–' : v >= 1000 ? (v / 1000).toFixed(2) + ' s' : Math.round(v) + ' ms',
  usd: v => v === null || v === undefined ? '–' : '$' + (v < 0.01 && v > 0 ? v.toFixed(6) : v.toFixed(4)),
  int: v => v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US'),
  pct: v => v === null || v === undefined ? '–' : (v * 100).toFixed(1) + '%',
  time: v => v ? new Date(v).toLocaleString('en-GB', { hour12: false }) : '–',
  age: ms => ms < 1000 ? ms + ' ms' : ms < 60000 ? (ms / 1000).toFixed(1) + ' s' : Math.round(ms / 60000) + ' min',
};

/** A run summary's latency in ms (the API's run summaries are camelCase); null while running. */
export function duration(run) {
  if (!run.ended_at) return null;
  return new Date(run.ended_at) - new Date(run.started_at);
}

let toastTimer;
export function toast(text, bad = false) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.className = 'toast show' + (bad ? ' bad' : '');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.className = 'toast'; }, 8000);
}

/** Asks before an action that changes something; resolves true when confirmed. */
export function confirmAction(title, text, okLabel) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = okLabel;
  dialog.returnValue = '';
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}

export function field(label, input) {
  return h('label', {}, label, input);
}

export function select(name, options, value) {
  return h('select', { name }, options.map(o => {
    const [v, text] = Array.isArray(o) ? o : [o, o];
    return h('option', { value: v, selected: v === value }, text);
  }));
}

export const link = (href, text, attrs = {}) => h('a', { href, ...attrs }, text);

export const runLink = id => link('#/runs/' + encodeURIComponent(id), id, { class: 'run-link' });
