// Form building blocks and error display shared by every screen.
//
// A field is a label, the control, an optional hint and an error line. Errors,
// from the browser-side checks or from the server's 422 detail list, are shown
// under their field, linked with aria-describedby and flagged aria-invalid.
// Errors that belong to no field go into the form's alert box at the top.

import { ApiError } from './api.js';
import { h, uid, focus } from './dom.js';

/**
 * A labelled control. options: { name, label, type, hint, autocomplete,
 * required, maxlength, minlength, multiline, rows, value, optional }.
 */
export function field(options) {
  const id = uid(`f-${options.name}`);
  const hintId = options.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const attrs = {
    id,
    name: options.name,
    class: 'input',
    autocomplete: options.autocomplete,
    maxlength: options.maxlength,
    minlength: options.minlength,
    required: options.required,
    inputmode: options.inputmode,
    spellcheck: options.spellcheck,
    autocapitalize: options.autocapitalize,
    placeholder: options.placeholder,
    'aria-describedby': hintId ?? undefined,
    value: options.value,
  };
  const control = options.multiline
    ? h('textarea', { ...attrs, rows: options.rows ?? 3 })
    : h('input', { ...attrs, type: options.type ?? 'text' });

  const label = h('label', { for: id, class: 'field__label' },
    options.label,
    options.optional ? h('span', { class: 'field__optional', text: ' (optional)' }) : null);

  let input = control;
  if (options.type === 'password') input = passwordWrap(control);

  const wrapper = h('div', { class: ['field', options.className] },
    label,
    input,
    hintId ? h('p', { id: hintId, class: 'field__hint', text: options.hint }) : null,
    h('p', { id: errorId, class: 'field__error', hidden: true }));
  wrapper.dataset.field = options.name;
  return wrapper;
}

/** A password input with a "Show"/"Hide" button beside it. */
function passwordWrap(input) {
  const button = h('button', {
    type: 'button',
    class: 'password__toggle',
    'aria-controls': input.id,
    'aria-label': 'Show password',
    text: 'Show',
  });
  button.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    button.textContent = show ? 'Hide' : 'Show';
    button.setAttribute('aria-label', show ? 'Hide password' : 'Show password');
  });
  return h('div', { class: 'password' }, input, button);
}

/** The form-level alert box (for errors that belong to no single field). */
export function formAlert() {
  return h('div', { class: 'notice notice--error form-alert', role: 'alert', tabindex: '-1', hidden: true });
}

function controlOf(form, name) {
  return form.querySelector(`[data-field="${CSS.escape(name)}"] .input`);
}

/** Removes every error message from a form. */
export function clearErrors(form) {
  for (const wrapper of form.querySelectorAll('[data-field]')) setFieldError(form, wrapper.dataset.field, null);
  const alert = form.querySelector('.form-alert');
  if (alert) {
    alert.hidden = true;
    alert.textContent = '';
  }
}

/** Shows (or with null, clears) the error under one field. */
export function setFieldError(form, name, message) {
  const wrapper = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (!wrapper) return false;
  const control = wrapper.querySelector('.input');
  const error = wrapper.querySelector('.field__error');
  const described = (control.getAttribute('aria-describedby') || '').split(/\s+/).filter((id) => id && id !== error.id);
  if (message) {
    error.textContent = message;
    error.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    described.unshift(error.id);
    wrapper.classList.add('field--invalid');
  } else {
    error.textContent = '';
    error.hidden = true;
    control.removeAttribute('aria-invalid');
    wrapper.classList.remove('field--invalid');
  }
  if (described.length) control.setAttribute('aria-describedby', described.join(' '));
  else control.removeAttribute('aria-describedby');
  return true;
}

/** Shows a message in the form's alert box and moves focus there. */
export function showFormError(form, message, { moveFocus = true } = {}) {
  const alert = form.querySelector('.form-alert');
  if (!alert) return;
  alert.textContent = message;
  alert.hidden = false;
  if (moveFocus) focus(alert);
}

/**
 * Shows { field: message } errors. Messages for fields the form does not have
 * go to the alert box. Focus goes to the first invalid field.
 * `rename` maps server field names to form field names.
 */
export function showErrors(form, fields, { rename = {} } = {}) {
  const orphans = [];
  let first = null;
  for (const [serverName, message] of Object.entries(fields)) {
    const name = rename[serverName] ?? serverName;
    if (setFieldError(form, name, message)) first ??= controlOf(form, name);
    else orphans.push(message);
  }
  if (orphans.length) showFormError(form, orphans.join(' '), { moveFocus: !first });
  if (first) focus(first);
}

/** Reads a form's named controls into an object of strings. */
export function values(form) {
  const out = {};
  for (const el of form.elements) if (el.name) out[el.name] = el.value;
  return out;
}

/**
 * Marks a form busy while `work` runs: disables the submit button and shows a
 * progress label on it. Gives what `work` gives.
 */
export async function busy(form, busyLabel, work) {
  const button = form.querySelector('button[type="submit"]');
  const label = button ? button.textContent : '';
  form.setAttribute('aria-busy', 'true');
  if (button) {
    button.disabled = true;
    button.textContent = busyLabel;
  }
  try {
    return await work();
  } finally {
    form.removeAttribute('aria-busy');
    if (button) {
      button.textContent = label;
      if (!button.dataset.lockedUntil) button.disabled = false;
    }
  }
}

/**
 * Keeps the submit button disabled for `seconds` (after a 429), or until the
 * field `until` (if the form has it) is changed.
 */
function lockSubmit(form, seconds, { until = null } = {}) {
  const button = form.querySelector('button[type="submit"]');
  if (!button || !seconds) return;
  const control = until ? controlOf(form, until) : null;
  const unlock = () => {
    clearTimeout(timer);
    control?.removeEventListener('input', changed);
    delete button.dataset.lockedUntil;
    button.disabled = false;
  };
  const changed = () => {
    clearErrors(form);
    unlock();
  };
  const timer = setTimeout(unlock, seconds * 1000);
  control?.addEventListener('input', changed);
  button.dataset.lockedUntil = String(Date.now() + seconds * 1000);
  button.disabled = true;
}

/** Browser-side checks that mirror the server's rules (the server decides). */
export const rules = {
  email(value) {
    const v = value.trim();
    if (!v) return 'Enter your email address.';
    if (v.length > 254) return 'An email address has at most 254 characters.';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return 'Enter an email address like name@example.com.';
    return null;
  },
  password(value, { label = 'password' } = {}) {
    if (!value) return `Enter your ${label}.`;
    return null;
  },
  newPassword(value) {
    if (!value) return 'Choose a password.';
    if ([...value].length < 8) return 'Use at least 8 characters.';
    if ([...value].length > 128) return 'Use at most 128 characters.';
    return null;
  },
  name(value) {
    return [...value.trim()].length > 100 ? 'A name has at most 100 characters.' : null;
  },
  title(value) {
    const v = value.trim();
    if (!v) return 'Give the task a title.';
    if ([...v].length > 200) return `A title has at most 200 characters (this one has ${[...v].length}).`;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(v)) return 'A title cannot contain line breaks or tabs.';
    return null;
  },
  description(value) {
    const n = [...value].length;
    return n > 1000 ? `A description has at most 1000 characters (this one has ${n}).` : null;
  },
};

/**
 * Runs `checks` ({ field: message|null }) and shows the failures. Gives true
 * when everything passed.
 */
export function check(form, checks) {
  clearErrors(form);
  const failed = Object.fromEntries(Object.entries(checks).filter(([, message]) => message));
  if (Object.keys(failed).length === 0) return true;
  showErrors(form, failed);
  return false;
}

/**
 * Shows an ApiError on a form: a 422's field errors under their fields, any
 * other message in the alert box; after a 429 the submit button stays
 * disabled until the server's Retry-After has passed, or, when only this
 * account's attempts are throttled (TOO_MANY_ATTEMPTS), until the email
 * address is changed.
 */
export function showApiError(form, error, { rename } = {}) {
  if (error.status === 422 && Object.keys(error.fields).length) {
    showErrors(form, error.fields, { rename });
    return;
  }
  showFormError(form, error.message);
  if (error.status === 429) lockSubmit(form, error.retryAfter, { until: error.code === 'TOO_MANY_ATTEMPTS' ? 'email' : null });
}

/**
 * Handles a form's submit: the browser-side checks, then `send` with the
 * submit button busy, then `done`. options: { checks(values) → { field:
 * message|null }, busyLabel, send(values), done(), refusals }. An ApiError
 * whose status has an entry in `refusals` ({ 401(error) … }) is shown by it,
 * any other under its fields or in the alert box; an error that is not an
 * ApiError is a bug, and is thrown.
 */
export function onSubmit(form, { checks, busyLabel, send, done, refusals = {} }) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const typed = values(form);
    if (!check(form, checks(typed))) return;
    try {
      await busy(form, busyLabel, () => send(typed));
      done();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const refused = refusals[error.status];
      if (refused) refused(error);
      else showApiError(form, error);
    }
  });
}
