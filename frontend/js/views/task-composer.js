// The new-task form at the top of the dashboard: a title, optional details
// (which open once the form has focus) and a note for a task that was added
// but does not show in the current view.

import { ApiError } from '../api.js';
import { h, icon, focus } from '../dom.js';
import { field, formAlert, check, rules, values, clearErrors, showApiError, showFormError } from '../forms.js';
import { quoted } from './tasks-state.js';

/**
 * The form in its card. `onAdd({ title, description })` gets what the person
 * typed once it passes the browser-side checks. Gives
 * { node, clear(), focusTitle(), note(text), refused(draft, error) }.
 */
export function taskComposer(onAdd) {
  const form = h('form', { class: 'composer', novalidate: true, 'aria-labelledby': 'composer-title' },
    h('h2', { id: 'composer-title', class: 'visually-hidden', text: 'Add a task' }),
    formAlert(),
    h('div', { class: 'composer__row' },
      field({ name: 'title', label: 'New task', maxlength: 200, required: true, placeholder: 'What needs doing?', className: 'composer__title', autocomplete: 'off' }),
      h('button', { type: 'submit', class: 'button button--primary composer__submit' }, icon('plus'), h('span', { text: 'Add task' }))),
    field({ name: 'description', label: 'Details', optional: true, multiline: true, rows: 2, maxlength: 1000, placeholder: 'Notes, links, quantities…', className: 'composer__description' }));
  const titleInput = form.querySelector('[data-field="title"] .input');
  const descriptionInput = form.querySelector('[data-field="description"] .input');
  const note = h('p', { class: 'composer__note', role: 'status' });
  const node = h('section', { class: 'card composer-card', 'aria-labelledby': 'composer-title' }, form, note);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    note.textContent = '';
    const { title, description } = values(form);
    if (!check(form, { title: rules.title(title), description: rules.description(description) })) return;
    onAdd({ title, description });
  });
  form.addEventListener('focusin', () => form.classList.add('composer--open'));
  titleInput.addEventListener('input', () => {
    note.textContent = '';
  });

  return {
    node,
    clear() {
      form.reset();
    },
    focusTitle() {
      focus(titleInput);
    },
    note(text) {
      note.textContent = text;
    },
    /** The server refused `draft` (the stand-in task): say why, and give the person their text back. */
    refused(draft, error) {
      // Unless they already typed something new.
      if (!titleInput.value && !descriptionInput.value) {
        titleInput.value = draft.title;
        descriptionInput.value = draft.description ?? '';
      }
      clearErrors(form);
      if (error instanceof ApiError && error.status === 422 && Object.keys(error.fields).length) {
        showApiError(form, error);
      } else {
        showFormError(form, `Could not add ${quoted(draft.title)}: ${error.message}`);
      }
    },
  };
}
