// The frame shared by the log-in and register screens: a centred card, and
// under it the way to the other screen.

import { h } from '../dom.js';

/**
 * A log-in or register screen: a card with a heading, an intro line, the
 * message the screen was opened with (if any) and the form; under it, a link
 * to the other screen ([prompt, route, link text]) that keeps the place to
 * return to after logging in (?next=). Gives the view ({ node }).
 */
export function authScreen(ctx, form, { titleId, title, intro, other: [prompt, route, linkText] }) {
  const next = ctx.params.get('next');
  const href = next ? `#/${route}?${new URLSearchParams({ next })}` : `#/${route}`;
  const { message } = ctx;
  const node = h('section', { class: 'auth', 'aria-labelledby': titleId },
    h('div', { class: 'card auth__card' },
      h('h1', { id: titleId, class: 'page-title', tabindex: '-1', text: title }),
      h('p', { class: 'lead', text: intro }),
      message ? h('p', {
        class: `notice notice--${message.kind === 'error' ? 'error' : 'info'}`,
        role: 'status',
        text: message.text,
      }) : null,
      form),
    h('p', { class: 'auth__footer' }, prompt, h('a', { href, text: linkText })));
  return { node };
}
