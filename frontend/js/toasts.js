// Toasts: short messages at the bottom of the screen, optionally with one
// action ("Undo"). A toast waits while the pointer or focus is on it, so
// nobody has to race the timer.

import { h, icon } from './dom.js';

/**
 * Shows a toast. options: { message, action, onAction, onClose, duration }.
 * onClose(reason) runs once, reason being "action", "dismiss" or "timeout".
 * Gives { node, actionButton, close(reason) }.
 */
export function showToast({ message, action, onAction, onClose, duration = 6000 }) {
  const region = document.getElementById('toasts');
  let timer = 0;
  let remaining = duration;
  let startedAt = 0;
  let closed = false;

  const actionButton = action ? h('button', { type: 'button', class: 'toast__action', text: action }) : null;
  const dismiss = h('button', { type: 'button', class: 'toast__dismiss', 'aria-label': 'Dismiss notification' }, icon('close'));
  const node = h('div', { class: 'toast' },
    h('p', { class: 'toast__message', text: message }),
    actionButton,
    dismiss);

  function close(reason) {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    node.remove();
    if (onClose) onClose(reason);
  }
  let running = false;
  function run() {
    if (running || closed) return;
    running = true;
    startedAt = Date.now();
    timer = setTimeout(() => close('timeout'), remaining);
  }
  function pause() {
    if (!running) return;
    running = false;
    clearTimeout(timer);
    remaining = Math.max(2000, remaining - (Date.now() - startedAt));
  }
  function resumeUnlessHeld() {
    if (!node.matches(':hover') && !node.contains(document.activeElement)) run();
  }

  if (actionButton) {
    actionButton.addEventListener('click', () => {
      if (onAction) onAction();
      close('action');
    });
  }
  dismiss.addEventListener('click', () => close('dismiss'));
  node.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close('dismiss');
    }
  });
  node.addEventListener('mouseenter', pause);
  node.addEventListener('mouseleave', resumeUnlessHeld);
  node.addEventListener('focusin', pause);
  node.addEventListener('focusout', () => setTimeout(resumeUnlessHeld, 0));

  region.append(node);
  run();
  return { node, actionButton, close };
}
