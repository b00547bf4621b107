// The register screen.

import * as api from '../api.js';
import { h } from '../dom.js';
import { field, formAlert, rules, onSubmit, setFieldError } from '../forms.js';
import { authScreen } from './auth-layout.js';

export function render(ctx) {
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'register-title' },
    formAlert(),
    field({ name: 'name', label: 'Name', optional: true, autocomplete: 'name', maxlength: 100 }),
    field({ name: 'email', label: 'Email', type: 'email', autocomplete: 'email', inputmode: 'email', spellcheck: 'false', autocapitalize: 'off', required: true }),
    field({
      name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', required: true,
      hint: 'At least 8 characters. A long phrase is easy to remember and hard to guess; very common passwords are refused.',
    }),
    h('button', { type: 'submit', class: 'button button--primary button--block', text: 'Create account' }));

  onSubmit(form, {
    checks: ({ name, email, password }) => ({ name: rules.name(name), email: rules.email(email), password: rules.newPassword(password) }),
    busyLabel: 'Creating account…',
    send: ({ name, email, password }) => api.register({ name: name.trim(), email: email.trim(), password }),
    done: () => ctx.continueAfterLogin(),
    refusals: {
      409(error) {
        setFieldError(form, 'email', `${error.message.replace(/\.$/, '')}. Log in instead, or use another address.`);
        form.querySelector('[data-field="email"] .input').focus();
      },
    },
  });

  return authScreen(ctx, form, {
    titleId: 'register-title',
    title: 'Create your account',
    intro: 'Keep your to-dos in one calm place. It takes a few seconds.',
    other: ['Already have an account? ', 'login', 'Log in'],
  });
}
