// One task in the dashboard's list: its checkbox, title, details, dates and
// buttons, or, while it is being edited, its editor.
//
// The item knows nothing of state or server: what it shows comes in as
// arguments, and what the person does goes out through `actions`
// ({ toggle, edit, remove, save, cancel }, each called with the task's id).

import { h, icon, formatWhen } from '../dom.js';
import { field, formAlert, showErrors } from '../forms.js';
import { quoted } from './tasks-state.js';

/** When the task was added, and changed when that came more than a minute later. */
function meta(task) {
  if (task.temp) return 'Saving…';
  const added = `Added ${formatWhen(task.created_at)}`;
  const changedMs = Date.parse(task.updated_at) - Date.parse(task.created_at);
  return changedMs > 60000 ? `${added} · changed ${formatWhen(task.updated_at)}` : added;
}

/**
 * A task's list item; `error` (or null) says under it why a change failed.
 * Controls carry data-key so the list can put focus back on the same one
 * after it re-renders. A task still being created (`temp`) cannot be changed.
 */
export function taskItem(task, error, actions) {
  const checkId = `check-${task.id}`;
  const descId = task.description ? `desc-${task.id}` : null;
  const checkbox = h('input', {
    type: 'checkbox', id: checkId, class: 'checkbox', checked: task.completed, 'data-key': 'toggle',
    'aria-describedby': descId ?? undefined, disabled: task.temp,
  });
  checkbox.addEventListener('change', () => actions.toggle(task.id));
  const edit = h('button', {
    type: 'button', class: 'icon-button', 'data-key': 'edit', 'aria-label': `Edit ${quoted(task.title)}`, title: 'Edit', disabled: task.temp,
  }, icon('edit'));
  edit.addEventListener('click', () => actions.edit(task.id));
  const del = h('button', {
    type: 'button', class: 'icon-button icon-button--danger', 'data-key': 'delete', 'aria-label': `Delete ${quoted(task.title)}`, title: 'Delete', disabled: task.temp,
  }, icon('trash'));
  del.addEventListener('click', () => actions.remove(task.id));

  return h('li', { class: ['task', task.completed && 'task--done', task.temp && 'task--saving'], 'data-id': task.id },
    h('div', { class: 'task__main' },
      checkbox,
      h('div', { class: 'task__body' },
        h('label', { for: checkId, class: 'task__title', text: task.title }),
        task.description ? h('p', { id: descId, class: 'task__description', text: task.description }) : null,
        h('p', { class: 'task__meta', text: meta(task) })),
      h('div', { class: 'task__actions' }, edit, del)),
    error ? h('p', { class: 'notice notice--error task__error', role: 'alert', text: error }) : null);
}

/**
 * The item that edits a task: Enter saves, Escape cancels. `draft` (or null)
 * reopens an edit the server refused: { title, description, fields }, the
 * server's reasons shown under their fields.
 */
export function editItem(task, draft, actions) {
  const shown = draft ?? { title: task.title, description: task.description ?? '' };
  const form = h('form', { class: 'task-edit', novalidate: true, 'aria-label': `Edit ${quoted(task.title)}` },
    formAlert(),
    field({ name: 'title', label: 'Title', maxlength: 200, required: true, value: shown.title, autocomplete: 'off' }),
    field({ name: 'description', label: 'Details', optional: true, multiline: true, rows: 3, maxlength: 1000, value: shown.description }),
    h('div', { class: 'task-edit__actions' },
      h('button', { type: 'submit', class: 'button button--primary', text: 'Save' }),
      h('button', { type: 'button', class: 'button', 'data-action': 'cancel', text: 'Cancel' }),
      h('span', { class: 'task-edit__hint', text: 'Enter saves · Esc cancels' })));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    actions.save(task.id, form);
  });
  form.querySelector('[data-action="cancel"]').addEventListener('click', () => actions.cancel(task.id));
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      actions.cancel(task.id);
    }
  });
  if (draft?.fields) {
    const fields = draft.fields;
    // Errors go on once the form is in the document, where focus can reach it.
    queueMicrotask(() => showErrors(form, fields));
  }
  return h('li', { class: 'task task--editing', 'data-id': task.id }, form);
}
