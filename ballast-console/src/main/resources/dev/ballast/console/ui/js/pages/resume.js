// Resuming a dead pipeline run (POST /v1/pipelines/runs/{id}/resume), after a confirmation, with
// the result reported in words.
import { api } from '../api.js';
import { h, toast, confirmAction } from '../ui.js';

export function resumeButton(id, after) {
  const button = h('button', { type: 'button', class: 'danger', 'data-testid': 'resume', onclick: async () => {
    if (!await confirmAction('Resume this dead run?', `Run ${id} goes back to the queue at its failed stage with a fresh attempt count. Its effects are keyed, so nothing already applied is applied again.`, 'Resume run')) return;
    button.disabled = true;
    try {
      const run = await api('/v1/pipelines/runs/' + encodeURIComponent(id) + '/resume', { method: 'POST' });
      toast(`Run ${id} resumed: it is ${run.state} at stage ${run.current_stage ?? run.failed_stage ?? '?'}.`);
      after(run);
    } catch (e) {
      toast(`Run ${id} was not resumed. ${e.words}`, true);
      button.disabled = false;
    }
  } }, 'Resume');
  return button;
}
