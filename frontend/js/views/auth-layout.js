// The frame shared by the log-in and register screens: a centred card.

import { h } from '../dom.js';

/** A card with a heading, an intro line, an optional notice and the form. */
export function authCard({ titleId, title, intro, message, form, footer }) {
  return h('section', { class: 'auth', 'aria-labelledby': titleId },
    h('div', { class: 'card auth__card' },
      h('h1', { id: titleId, class: 'page-title', tabindex: '-1', text: title }),
      h('p', { class: 'lead', text: intro }),
      message ? h('p', {
        class: `notice notice--${message.kind === 'error' ? 'error' : 'info'}`,
        role: 'status',
        text: message.text,
      }) : null,
      form),
    footer ? h('p', { class: 'auth__footer' }, footer) : null);
}

