// Diff: two runs aligned row by row by the `ballast diff` engine (GET /v1/ballast/diff?a=&b=),
// the first divergence highlighted and scrolled to.
import { api, q } from '../api.js';
import { h, field, table, runLink } from '../ui.js';
import { go } from '../app.js';

export async function render(main, params) {
  main.append(h('h1', {}, 'Diff'));
  const a = h('input', { name: 'a', value: params.a || '', placeholder: 'run id', size: 30, required: true });
  const b = h('input', { name: 'b', value: params.b || '', placeholder: 'run id', size: 30, required: true });
  const onlyDiff = h('input', { type: 'checkbox', name: 'changed', checked: params.changed === '1' });
  main.append(h('form', { class: 'filters panel', onsubmit: e => {
    e.preventDefault();
    go('diff', { a: a.value.trim(), b: b.value.trim(), changed: onlyDiff.checked ? '1' : '' });
  } }, field('Run A', a), field('Run B', b),
  h('label', { class: 'row' }, onlyDiff, 'Only rows that differ'),
  h('button', { type: 'submit' }, 'Compare')));
  if (!params.a || !params.b) {
    main.append(h('p', { class: 'notice' }, 'Name two runs to align them: pins, then stage by stage, then the outcome.'));
    return;
  }
  const d = await api('/v1/ballast/diff' + q({ a: params.a, b: params.b }));
  const first = d.first_divergence;
  const verdict = d.identical
    ? h('p', { class: 'notice', 'data-testid': 'diff-verdict' }, 'The two runs are identical in every aligned row.')
    : h('p', { class: 'panel', 'data-testid': 'diff-verdict' }, 'First divergence: ',
      h('strong', {}, `${first.scope} · ${first.field}`), ` (A: ${show(first.a)}, B: ${show(first.b)})`);
  main.append(h('p', {}, 'A: ', runLink(d.a), ' · B: ', runLink(d.b)), verdict);
  const isFirst = r => first && r.scope === first.scope && r.field === first.field && !r.same;
  let firstSeen = false;
  const rows = d.rows.filter(r => params.changed !== '1' || !r.same);
  main.append(h('div', { 'data-testid': 'diff-table' }, table([
    { label: 'Scope', render: r => r.scope },
    { label: 'Field', render: r => r.field },
    { label: 'Run A', render: r => h('code', {}, show(r.a)) },
    { label: 'Run B', render: r => h('code', {}, show(r.b)) },
    { label: 'Same', render: r => r.same ? 'yes' : h('strong', {}, 'no') },
  ], rows, { caption: `${d.rows.length} aligned rows, ${d.rows.filter(r => !r.same).length} differ`,
    rowAttrs: r => {
      if (!firstSeen && isFirst(r)) { firstSeen = true; return { class: 'first-divergence', id: 'first-divergence', 'aria-current': 'true' }; }
      return { class: r.same ? 'same' : 'differs' };
    } })));
  document.getElementById('first-divergence')?.scrollIntoView({ block: 'center' });
}

function show(v) {
  if (v === null || v === undefined) return '–';
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return text.length > 160 ? text.slice(0, 157) + '…' : text;
}
