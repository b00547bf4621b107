// The register screen.

import * as api from '../api.js';
import { h } from '../dom.js';
import { field, formAlert, check, rules, values, busy, showApiError, setFieldError } from '../forms.js';
import { authCard } from './auth-layout.js';

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

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { name, email, password } = values(form);
    const ok = check(form, { name: rules.name(name), email: rules.email(email), password: rules.newPassword(password) });
    if (!ok) return;
    try {
      await busy(form, 'Creating account…', () => api.register({ name: name.trim(), email: email.trim(), password }));
      ctx.continueAfterLogin();
    } catch (error) {
      if (!(error instanceof api.ApiError)) throw error;
      if (error.status === 409) {
        setFieldError(form, 'email', `${error.message.replace(/\.$/, '')}. Log in instead, or use another address.`);
        form.querySelector('[data-field="email"] .input').focus();
      } else {
        showApiError(form, error);
      }
    }
  });

  const next = ctx.params.get('next');
  const loginHref = next ? `#/login?${new URLSearchParams({ next })}` : '#/login';
  const node = authCard({
    titleId: 'register-title',
    title: 'Create your account',
    intro: 'Keep your to-dos in one calm place. It takes a few seconds.',
    message: ctx.message,
    form,
    footer: ['Already have an account? ', h('a', { href: loginHref, text: 'Log in' })],
  });
  return { node };
}
