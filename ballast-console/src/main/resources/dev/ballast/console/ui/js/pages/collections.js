// Collections & memory: each collection's generations with what they hold
// (GET /v1/collections, GET /v1/collections/{name}/generations), a search pinned to a generation
// (POST /v1/collections/{name}/search), and a conversation's memory at a version
// (GET /v1/conversations/{id}/memory?version=).
import { api, q } from '../api.js';
import { h, clear, fmt, table, field, select, errorBox } from '../ui.js';
import { go } from '../app.js';

export async function render(main, params) {
  main.append(h('h1', {}, 'Collections & memory'));
  const list = await api('/v1/collections');
  const names = list.data.map(c => c.name);
  main.append(h('div', { 'data-testid': 'collections-table' }, table([
    { label: 'Collection', render: c => h('strong', {}, c.name) },
    { label: 'Generation', num: true, render: c => c.generation },
    { label: 'Embedding', render: c => `${c.embedding_model ?? c.embedding} (${c.dimension ?? '?'} dims)` },
    { label: 'Chunks', render: c => `${c.chunk_tokens} tokens, ${c.overlap_tokens} overlap` },
    { label: 'Updated', render: c => c.updated_at ? fmt.time(c.updated_at) : '–' },
  ], list.data)));

  const chosen = params.collection && names.includes(params.collection) ? params.collection : names[0];
  if (chosen) {
    const gens = await api(`/v1/collections/${encodeURIComponent(chosen)}/generations`);
    main.append(h('h2', {}, `Generations of ${chosen}`), h('div', { 'data-testid': 'generations' }, table([
      { label: 'Generation', num: true, render: g => g.generation },
      { label: 'Documents', num: true, render: g => fmt.int(g.documents) },
      { label: 'Chunks', num: true, render: g => fmt.int(g.chunks) },
      { label: 'Chunks added', num: true, render: g => fmt.int(g.added) },
      { label: 'Chunks retired', num: true, render: g => fmt.int(g.retired) },
    ], gens.data)));
    main.append(searchForm(names, chosen, gens.data.map(g => g.generation), params));
  }
  main.append(await memory(params));
}

function searchForm(names, chosen, generations, params) {
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'search-results' });
  const query = h('input', { name: 'query', value: params.query || '', size: 40, required: true });
  const form = h('form', { class: 'filters panel', role: 'search', onsubmit: async e => {
    e.preventDefault();
    const d = new FormData(form);
    const body = { query: d.get('query'), k: Number(d.get('k')), mode: d.get('mode') };
    if (d.get('generation')) body.generation = Number(d.get('generation'));
    clear(out).append(h('p', { class: 'muted' }, 'Searching…'));
    try {
      const r = await api(`/v1/collections/${encodeURIComponent(d.get('collection'))}/search`, { method: 'POST', body });
      clear(out).append(h('p', { class: 'muted' }, `Generation ${r.generation} (index at ${r.index_generation}), ${r.mode}, ${r.data.length} hits.`),
        table([
          { label: 'Score', num: true, render: x => x.score.toFixed(4) },
          { label: 'Document', render: x => x.document },
          { label: 'Chunk', render: x => h('code', {}, x.chunk_id) },
          { label: 'Text', render: x => x.text },
        ], r.data));
    } catch (err) { clear(out).append(errorBox(err)); }
  } },
  h('h2', { style: 'width:100%' }, 'Search'),
  field('Collection', select('collection', names, chosen)),
  field('Query', query),
  field('Mode', select('mode', ['hybrid', 'vector', 'keyword'], 'hybrid')),
  field('Results', select('k', ['3', '5', '10', '20'], '5')),
  field('Pinned generation', select('generation', [['', 'latest'], ...generations.map(g => [String(g), String(g)])], '')),
  h('button', { type: 'submit' }, 'Search'));
  return h('div', {}, form, out);
}

async function memory(params) {
  const conv = h('input', { name: 'conversation', value: params.conversation || '', placeholder: 'conversation id', required: true });
  const version = h('input', { name: 'version', type: 'number', min: '0', value: params.version || '', placeholder: 'latest' });
  const section = h('section', { class: 'panel', 'aria-labelledby': 'mem-title' },
    h('h2', { id: 'mem-title' }, 'Conversation memory'),
    h('form', { class: 'filters', onsubmit: e => {
      e.preventDefault();
      go('collections', { ...params, conversation: conv.value.trim(), version: version.value });
    } }, field('Conversation', conv), field('At version', version), h('button', { type: 'submit' }, 'Show')));
  if (!params.conversation) return section;
  try {
    const m = await api(`/v1/conversations/${encodeURIComponent(params.conversation)}/memory` + q({ version: params.version }));
    const versions = [];
    for (let v = 0; v <= m.latest_version; v++) versions.push(v);
    section.append(h('div', { 'data-testid': 'memory' },
      h('p', {}, `Version ${m.version} of ${m.latest_version}. `,
        versions.map(v => v === m.version ? h('strong', {}, ` ${v} `) :
          h('a', { href: '#/collections' + q({ ...params, version: v }) }, ` ${v} `))),
      m.summary ? h('p', {}, 'Summary: ', m.summary) : null,
      h('h3', {}, 'Turns'),
      m.turns.length ? table([
        { label: 'Version', num: true, render: t => t.version },
        { label: 'Role', render: t => t.role },
        { label: 'Content', render: t => t.content },
      ], m.turns) : h('p', { class: 'muted' }, 'No turns at this version.'),
      Object.keys(m.facts || {}).length ? h('div', {}, h('h3', {}, 'Facts'), h('pre', {}, JSON.stringify(m.facts, null, 2))) : null,
      h('h3', {}, 'Mutations'),
      table([
        { label: 'Version', num: true, render: x => x.version },
        { label: 'At', render: x => fmt.time(x.at) },
        { label: 'Mutation', render: x => h('code', {}, JSON.stringify(x.mutation)) },
        { label: 'Effect key', render: x => h('code', {}, x.effect_key ?? '') },
      ], m.history)));
  } catch (e) {
    section.append(errorBox(e));
  }
  return section;
}
