// The account screen's list of sessions: each device the person is logged in
// on, when it was last used and when it logged in, this device marked, and a
// "Sign out" for every other one.
//
// Signing a device out asks the server, then reloads the list; focus moves to
// the device that took its place (else the one above, else `fallbackFocus`)
// and the result is said in the polite live region. A refusal is shown under
// its device, as a task's is.

import * as api from '../api.js';
import { h, icon, focus, announce, formatWhen } from '../dom.js';
import { orderSessions, deviceKind, sessionMeta, focusAfterRemoval } from './sessions-state.js';

const isApiError = (error, status) => error instanceof api.ApiError && error.status === status;

/** One device's list item; `error` (or null) says under it why signing it out failed. */
function sessionItem(session, error, onSignOut) {
  const metaId = `session-meta-${session.id}`;
  const signOut = session.current ? null : h('button', {
    type: 'button', class: 'button session__sign-out', 'data-key': 'sign-out',
    'aria-label': `Sign out ${session.device}`, 'aria-describedby': metaId, text: 'Sign out',
  });
  if (signOut) signOut.addEventListener('click', () => onSignOut(session.id, signOut));
  return h('li', { class: ['session', session.current && 'session--current'], 'data-id': session.id },
    h('div', { class: 'session__main' },
      h('span', { class: 'session__icon' }, icon(deviceKind(session.device))),
      h('div', { class: 'session__body' },
        h('p', { class: 'session__device' },
          h('span', { text: session.device }),
          session.current ? h('span', { class: 'badge', text: 'This device' }) : null),
        h('p', { id: metaId, class: 'session__meta', text: sessionMeta(session, formatWhen) })),
      signOut),
    error ? h('p', { class: 'notice notice--error session__error', role: 'alert', text: error }) : null);
}

/**
 * The list, empty until load() fills it. Gives { node, load(), dispose() }.
 * `fallbackFocus()` gives the element focus goes to when no other device is
 * left to sign out.
 */
export function sessionList({ fallbackFocus }) {
  let sessions = [];
  const errors = new Map(); // session id → why signing it out failed
  let disposed = false;

  const list = h('ul', { class: 'sessions', 'aria-labelledby': 'sessions-title', hidden: true });
  const state = h('div', { class: 'sessions__state' });
  const node = h('div', {}, list, state);

  const othersIds = () => sessions.filter((s) => !s.current).map((s) => s.id);
  const signOutButton = (id) => list.querySelector(`.session[data-id="${CSS.escape(id)}"] [data-key="sign-out"]`);

  /** Shows the list, keeping focus on the same device's button when it had it. */
  function render() {
    const active = document.activeElement;
    const keep = active && list.contains(active) ? active.closest('.session').dataset.id : null;
    list.replaceChildren(...sessions.map((s) => sessionItem(s, errors.get(s.id), signOutDevice)));
    list.hidden = sessions.length === 0;
    if (keep && signOutButton(keep)) focus(signOutButton(keep));
  }

  function showState(...children) {
    state.replaceChildren(...children);
  }

  const fetchSessions = async () => orderSessions(await api.listSessions());

  /** Loads the list from the server (again). */
  async function load() {
    if (!sessions.length) showState(h('p', { class: 'muted', role: 'status', text: 'Loading your devices…' }));
    try {
      const loaded = await fetchSessions();
      if (disposed) return;
      sessions = loaded;
      render();
      showState();
    } catch (error) {
      if (disposed || isApiError(error, 401)) return; // on its way to the login screen
      const retry = h('button', { type: 'button', class: 'button', text: 'Try again' });
      retry.addEventListener('click', async () => {
        await load();
        // The button went with the message: focus goes to the new one, or the section.
        if (!retry.isConnected) focus(state.querySelector('button') ?? fallbackFocus());
      });
      showState(h('div', { class: 'notice notice--error sessions__error', role: 'alert' },
        h('p', { text: `We could not load your devices. ${error.message}` }),
        retry));
    }
  }

  async function signOutDevice(id, button) {
    const session = sessions.find((s) => s.id === id);
    if (!session || button.getAttribute('aria-disabled') === 'true') return;
    // aria-disabled, not disabled: the button keeps focus while it waits.
    button.setAttribute('aria-disabled', 'true');
    button.setAttribute('aria-label', `Signing out ${session.device}…`);
    button.textContent = 'Signing out…';
    let result;
    try {
      await api.endOtherSession(id);
      result = `Signed out ${session.device}.`;
    } catch (error) {
      if (disposed || isApiError(error, 401)) return;
      if (!isApiError(error, 404)) {
        errors.set(id, `Could not sign out this device: ${error.message}`);
        render();
        return;
      }
      result = `${session.device} was already signed out.`;
    }

    const before = othersIds();
    errors.delete(id);
    sessions = sessions.filter((s) => s.id !== id);
    try {
      sessions = await fetchSessions(); // the list as the server has it now
    } catch {
      // The device is gone either way; the rest stays as it was.
    }
    if (disposed) return;
    // Focus follows the list unless the person has moved on meanwhile.
    const moveFocus = list.contains(document.activeElement) || document.activeElement === document.body;
    render();
    const next = focusAfterRemoval(before, othersIds(), id);
    if (moveFocus) focus(next ? signOutButton(next) : fallbackFocus());
    announce(result);
  }

  return {
    node,
    load,
    dispose() {
      disposed = true;
    },
  };
}
