// The account screen: who is signed in, change password, the devices logged
// in (each can be signed out), log out everywhere. Logging out here is in the
// header, on every screen.

import * as api from '../api.js';
import { h, focus } from '../dom.js';
import { field, formAlert, check, rules, values, busy, showApiError, setFieldError, clearErrors } from '../forms.js';
import { sessionList } from './session-list.js';

export function render(ctx) {
  const user = api.user();

  const status = h('p', { class: 'notice notice--success', role: 'status', hidden: true });
  const sessionsTitle = h('h2', { id: 'sessions-title', class: 'section-title', tabindex: '-1', text: 'Where you’re logged in' });
  const sessions = sessionList({ fallbackFocus: () => sessionsTitle });

  const passwordForm = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'password-title' },
    formAlert(),
    field({ name: 'current', label: 'Current password', type: 'password', autocomplete: 'current-password', required: true }),
    field({
      name: 'new', label: 'New password', type: 'password', autocomplete: 'new-password', required: true,
      hint: 'At least 8 characters; very common passwords are refused. Your other devices will be logged out.',
    }),
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button button--primary', text: 'Change password' })));

  passwordForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.hidden = true;
    const { current, new: next } = values(passwordForm);
    const checks = { current: rules.password(current, { label: 'current password' }), new: rules.newPassword(next) };
    if (!checks.new && next === current) checks.new = 'Choose a password different from the current one.';
    if (!check(passwordForm, checks)) return;
    try {
      await busy(passwordForm, 'Changing…', () => api.changePassword({ currentPassword: current, newPassword: next }));
      passwordForm.reset();
      clearErrors(passwordForm);
      status.textContent = 'Password changed. Other devices have been logged out; this one stays logged in.';
      status.hidden = false;
      focus(status);
      sessions.load(); // only this device is left
    } catch (error) {
      if (!(error instanceof api.ApiError)) throw error;
      if (error.status === 401) {
        setFieldError(passwordForm, 'current', 'That is not your current password. Try again.');
        passwordForm.querySelector('[data-field="current"] .input').focus();
      } else {
        showApiError(passwordForm, error, { rename: { current_password: 'current', new_password: 'new' } });
      }
    }
  });

  const logoutAll = h('button', {
    type: 'button', class: 'button button--danger', 'aria-describedby': 'everywhere-hint', text: 'Log out everywhere',
  });
  logoutAll.addEventListener('click', () => {
    logoutAll.disabled = true;
    ctx.signOut({ all: true });
  });

  const node = h('div', { class: 'page page--account' },
    h('div', { class: 'page__head' },
      h('h1', { class: 'page-title', tabindex: '-1', text: 'Account' }),
      h('p', { class: 'lead', text: 'Your details, password and sessions.' })),
    status,

    h('section', { class: 'card', 'aria-labelledby': 'profile-title' },
      h('h2', { id: 'profile-title', class: 'section-title', text: 'Profile' }),
      h('dl', { class: 'details' },
        h('div', {}, h('dt', { text: 'Name' }), h('dd', { text: user.name || 'Not set' })),
        h('div', {}, h('dt', { text: 'Email' }), h('dd', { text: user.email })),
        user.created_at
          ? h('div', {}, h('dt', { text: 'Member since' }), h('dd', {}, h('time', { datetime: user.created_at, text: new Date(user.created_at).toLocaleDateString([], { dateStyle: 'long' }) })))
          : null)),

    h('section', { class: 'card', 'aria-labelledby': 'password-title' },
      h('h2', { id: 'password-title', class: 'section-title', text: 'Change password' }),
      passwordForm),

    h('section', { class: 'card', 'aria-labelledby': 'sessions-title' },
      sessionsTitle,
      h('p', { class: 'muted', text: 'The devices and browsers logged in to your account. Sign out any you do not recognise or no longer use.' }),
      sessions.node,
      h('div', { class: 'sessions__everywhere' },
        h('p', { id: 'everywhere-hint', class: 'muted', text: 'Lost a device, or used a shared computer? Log out everywhere, this device included.' }),
        logoutAll)));
  sessions.load();

  return { node, cleanup: () => sessions.dispose() };
}
