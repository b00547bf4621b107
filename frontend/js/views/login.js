// The log-in screen.

import * as api from '../api.js';
import { h } from '../dom.js';
import { field, formAlert, rules, onSubmit, showFormError } from '../forms.js';
import { authScreen } from './auth-layout.js';

export function render(ctx) {
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'login-title' },
    formAlert(),
    field({ name: 'email', label: 'Email', type: 'email', autocomplete: 'username', inputmode: 'email', spellcheck: 'false', autocapitalize: 'off', required: true }),
    field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit', class: 'button button--primary button--block', text: 'Log in' }));

  onSubmit(form, {
    checks: ({ email, password }) => ({ email: rules.email(email), password: rules.password(password) }),
    busyLabel: 'Logging in…',
    send: ({ email, password }) => api.login({ email: email.trim(), password }),
    done: () => ctx.continueAfterLogin(),
    refusals: {
      401(error) {
        const reason = error.message.replace(/\.$/, '');
        showFormError(form, `${reason}. Check both and try again, or create an account if you are new here.`);
      },
    },
  });

  return authScreen(ctx, form, {
    titleId: 'login-title',
    title: 'Log in',
    intro: 'Welcome back. Log in to see your tasks.',
    other: ['New here? ', 'register', 'Create an account'],
  });
}
