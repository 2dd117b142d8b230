// Run detail: the execution tree as a waterfall (GET /v1/ballast/runs/{id}/trace), the selected
// node's attributes and captured payloads (GET /v1/ballast/runs/{id}), and replay, what-if and
// compare (POST /v1/ballast/runs/{id}/replay, the Diff page).
import { api, runPath, session } from '../api.js';
import { h, clear, fmt, badge, errorBox, field, select, toast, confirmAction, runLink, link } from '../ui.js';
import { go } from '../app.js';
import { resumeButton } from './resume.js';

export async function render(main, params, id) {
  const [run, trace] = await Promise.all([api(runPath(id)), api(runPath(id) + '/trace')]);
  document.title = `Run ${id} · Ballast console`;
  main.append(h('h1', {}, 'Run ', h('code', { 'data-testid': 'run-id' }, id), ' ', badge(run.status)));
  main.append(summary(run, trace.root.attributes || {}));
  if (run.kind === 'pipeline' && run.status === 'dead' && run.tenant === session.tenant()) {
    main.append(h('p', { class: 'row' }, 'This pipeline run is dead at its failed stage. ', resumeButton(id, () => go('runs', {}, id))));
  }
  const nodes = flatten(trace.root);
  const detail = h('div', { class: 'panel', 'data-testid': 'node-detail' });
  const split = h('div', { class: 'split' },
    h('section', { class: 'panel', 'aria-labelledby': 'wf-title' }, h('h2', { id: 'wf-title' }, 'Timeline'),
      waterfall(nodes, n => showNode(detail, n, run))),
    detail);
  main.append(split);
  showNode(detail, nodes[0].node, run);
  // Reading across tenants never extends to acting for them: the API replays and resumes only
  // the caller's own runs.
  if (run.tenant === session.tenant()) {
    main.append(actions(id, run, trace));
  } else {
    main.append(h('p', { class: 'notice', 'data-testid': 'other-tenant' },
      `This run belongs to tenant ${run.tenant}. Replays, what-ifs and resumes run as the run's tenant: sign in with its key to start one.`));
  }
}

/** The run's row; a pipeline run's tokens, cost and attempts are its calls', from the tree. */
function summary(run, root) {
  const latency = run.ended_at ? new Date(run.ended_at) - new Date(run.started_at) : null;
  if (run.kind === 'pipeline') {
    run = { ...run, input_tokens: root.input_tokens ?? 0, output_tokens: root.output_tokens ?? 0,
      cost: root.cost_usd ?? 0, attempts: root.provider_attempts ?? 0 };
  }
  const kpi = (label, value) => h('div', { class: 'kpi' }, h('span', { class: 'muted' }, label), h('b', {}, value));
  return h('div', { class: 'kpis', 'data-testid': 'run-summary' },
    kpi('Tenant', run.tenant ?? '–'),
    kpi('Kind', run.kind === 'pipeline' ? `pipeline ${run.operation}` : `${run.operation ?? '–'} ${run.model ?? ''}`),
    kpi('Started', fmt.time(run.started_at)),
    kpi('Latency', fmt.ms(latency)),
    kpi('Deployment', run.deployment ?? '–'),
    kpi('Tokens in/out', `${fmt.int(run.input_tokens)} / ${fmt.int(run.output_tokens)}`),
    kpi('Cost', fmt.usd(run.cost)),
    kpi('Provider attempts', run.attempts),
    run.error_class ? kpi('Error class', run.error_class) : null);
}

/** Depth-first rows with each node's offset and length against the root's span. */
function flatten(root) {
  const rows = [];
  const t0 = Date.parse(root.at);
  let end = t0 + (root.duration_ms ?? 0);
  const walk = (node, depth) => {
    const start = Date.parse(node.at);
    end = Math.max(end, start + (node.duration_ms ?? 0));
    rows.push({ node, depth, start });
    (node.children || []).forEach(c => walk(c, depth + 1));
  };
  walk(root, 0);
  const span = Math.max(1, end - t0);
  rows.forEach(r => { r.left = (r.start - t0) / span * 100; r.width = (r.node.duration_ms ?? 0) / span * 100; });
  return rows;
}

function waterfall(rows, onSelect) {
  const items = rows.map((r, i) => {
    const n = r.node;
    const bad = n.status && !['ok', 'succeeded', 'completed'].includes(n.status);
    const li = h('li', { role: 'option', tabindex: i === 0 ? '0' : '-1', 'aria-selected': i === 0 ? 'true' : 'false',
      dataset: { kind: n.kind }, title: `${n.kind}: ${n.name}` },
    h('span', { class: 'label', style: `padding-left:${r.depth * 0.9}rem` },
      h('span', { class: 'muted' }, n.kind.replace('_', ' ') + ' '), n.name, ' ', n.status ? badge(n.status) : ''),
    h('span', { class: 'track', 'aria-hidden': 'true' },
      h('span', { class: 'bar' + (bad ? ' bad' : '') + (n.duration_ms == null ? ' fact' : ''),
        style: `left:${r.left.toFixed(2)}%;width:${Math.max(r.width, 0.3).toFixed(2)}%` })),
    );
    return li;
  });
  const list = h('ul', { class: 'waterfall', role: 'listbox', 'aria-label': 'Execution tree, in time order', 'data-testid': 'waterfall' }, items);
  const select = i => {
    items.forEach((li, j) => { li.setAttribute('aria-selected', j === i ? 'true' : 'false'); li.tabIndex = j === i ? 0 : -1; });
    items[i].focus();
    onSelect(rows[i].node);
  };
  items.forEach((li, i) => {
    li.addEventListener('click', () => select(i));
    li.addEventListener('keydown', e => {
      if (e.key === 'ArrowDown' && i + 1 < items.length) { e.preventDefault(); select(i + 1); }
      if (e.key === 'ArrowUp' && i > 0) { e.preventDefault(); select(i - 1); }
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(i); }
    });
  });
  return h('div', {}, h('p', { class: 'muted' }, `${rows.length} nodes. Arrow keys move through them.`), list);
}

function showNode(panel, node, run) {
  clear(panel);
  panel.append(h('h2', {}, node.name, ' ', badge(node.status)));
  const attrs = h('dl', { class: 'attrs' });
  const add = (k, v) => attrs.append(h('dt', {}, k), h('dd', {}, v));
  add('kind', node.kind);
  add('began', fmt.time(node.at));
  if (node.duration_ms != null) add('duration', fmt.ms(node.duration_ms));
  Object.entries(node.attributes || {}).forEach(([k, v]) => {
    if (k === 'run_id' && v !== run.id) add(k, runLink(String(v)));
    else add(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  });
  panel.append(attrs);
  payloads(node, run).forEach(([title, content]) => panel.append(
    h('h3', {}, title), h('pre', { 'data-testid': 'payload' }, typeof content === 'string' ? content : JSON.stringify(content, null, 2))));
}

/** The captured payloads the journal holds for a node, matched by stage or attempt number. */
function payloads(node, run) {
  const events = run.journal || [];
  const found = [];
  const content = p => p && p.content !== undefined ? p.content : null;
  const push = (title, p) => { const c = content(p); if (c !== null) found.push([title, c]); };
  if (node.kind === 'pipeline' || (node.kind === 'call' && node.attributes?.run_id === run.id)) {
    events.filter(e => e.type === 'RunStarted').forEach(e => push(node.kind === 'pipeline' ? 'Input' : 'Request', e.event.request));
    events.filter(e => e.type === 'RunCompleted').forEach(e => push('Response', e.event.response));
  }
  if (node.kind === 'provider_attempt') {
    events.filter(e => e.type === 'ProviderAttempt' && e.event.attempt === node.attributes?.attempt
      && e.event.deployment === node.attributes?.deployment).forEach(e => {
      push('Normalized response', e.event.response);
      push('Raw response', e.event.raw_response);
    });
  }
  if (node.kind === 'stage') {
    events.filter(e => e.type === 'StageCompleted' && e.event.stage === node.name).slice(-1)
      .forEach(e => push('Stage output', e.event.output));
  }
  if (found.length === 0 && ['pipeline', 'call', 'provider_attempt', 'stage'].includes(node.kind)) {
    found.push(['Payloads', node.kind === 'call' && node.attributes?.run_id && node.attributes.run_id !== run.id
      ? 'This model call is journaled as its own run: open it from run_id above to read its request and response.'
      : 'No payload was captured for this node (capture is off for the tenant, or it carries none).']);
  }
  return found;
}

function actions(id, run, trace) {
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'replay-report' });
  const stages = (trace.root.children || []).filter(c => c.kind === 'stage').map(c => c.name);
  const replay = h('button', { type: 'button', 'data-testid': 'replay', onclick: async () => {
    replay.disabled = true;
    clear(out).append(h('p', { class: 'muted' }, 'Replaying from the journal…'));
    try {
      clear(out).append(report(await api(runPath(id) + '/replay', { method: 'POST' }), id));
      toast('Replay finished.');
    } catch (e) { clear(out).append(errorBox(e)); toast(e.words, true); } finally { replay.disabled = false; }
  } }, 'Replay deterministically');

  const groupSelect = h('select', { name: 'group' }, h('option', { value: '' }, '(as recorded)'));
  api('/v1/models').then(m => m.data.forEach(g => groupSelect.append(h('option', { value: g.id }, g.id)))).catch(() => {});
  const promptStage = select('prompt_stage', [['', '(none)'], ...stages], '');
  const promptName = h('input', { name: 'prompt', placeholder: 'prompt name' });
  const fromStage = select('from_stage', [['', '(first changed)'], ...stages], '');
  const whatIf = h('form', { class: 'filters', 'data-testid': 'what-if', onsubmit: async e => {
    e.preventDefault();
    const body = {};
    if (groupSelect.value) body.group = groupSelect.value;
    if (promptStage.value && promptName.value.trim()) body.prompts = { [promptStage.value]: promptName.value.trim() };
    if (fromStage.value) body.from_stage = fromStage.value;
    if (Object.keys(body).length === 0) { toast('Choose a group, a prompt or a stage to change first.', true); return; }
    const change = Object.entries(body).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ');
    if (!await confirmAction('Start a what-if replay?', `The overridden calls (${change}) go live to the providers and are journaled as a new run linked to ${id}.`, 'Start what-if')) return;
    clear(out).append(h('p', { class: 'muted' }, 'Running the what-if…'));
    try {
      const r = await api(runPath(id) + '/replay', { method: 'POST', body });
      clear(out).append(report(r, id));
      toast(r.new_run_id ? `What-if finished: new run ${r.new_run_id}.` : 'What-if finished.');
    } catch (err) { clear(out).append(errorBox(err)); toast(err.words, true); }
  } },
  field('Model group', groupSelect),
  stages.length ? field('Prompt for stage', promptStage) : null,
  stages.length ? field('Prompt', promptName) : null,
  stages.length ? field('From stage', fromStage) : null,
  h('button', { type: 'submit' }, 'Start what-if'));

  const other = h('input', { name: 'other', placeholder: 'another run id', 'aria-label': 'Run to compare with', size: 28 });
  const compare = h('form', { class: 'filters', onsubmit: e => {
    e.preventDefault();
    if (other.value.trim()) go('diff', { a: id, b: other.value.trim() });
  } }, field('Compare with', other), h('button', { type: 'submit' }, 'Compare'));

  return h('section', { class: 'panel', 'aria-labelledby': 'act-title' },
    h('h2', { id: 'act-title' }, 'Replay, what-if, compare'),
    h('p', { class: 'row' }, replay, h('span', { class: 'muted' }, 'Feeds every recorded answer back; makes no external call.')),
    h('h3', {}, 'What-if'), whatIf,
    h('h3', {}, 'Compare'), compare,
    out);
}

function report(r, id) {
  return h('div', { class: 'panel' },
    h('h3', {}, `${r.mode === 'WHAT_IF' ? 'What-if' : 'Replay'}: `, h('span', { 'data-testid': 'replay-outcome' }, r.outcome)),
    r.divergence ? h('p', {}, `First divergence at ${r.divergence.stage ?? 'the run'} (${r.divergence.what}): expected `,
      h('code', {}, String(r.divergence.expected).slice(0, 16)), ', got ', h('code', {}, String(r.divergence.actual).slice(0, 16))) : null,
    r.new_run_id ? h('p', {}, 'New run: ', runLink(r.new_run_id), ' · ',
      link(`#/diff?a=${encodeURIComponent(id)}&b=${encodeURIComponent(r.new_run_id)}`, 'Diff with the original', { 'data-testid': 'diff-link' })) : null,
    r.note ? h('p', { class: 'muted' }, r.note) : null,
    r.stages ? h('ul', {}, r.stages.map(s => h('li', {}, `${s.stage}: ${s.hash === s.recorded_hash ? 'same output' : 'different output'} (${s.source})`))) : null,
    h('p', { class: 'muted' }, `Took ${fmt.ms(r.duration_ms)}.`));
}
