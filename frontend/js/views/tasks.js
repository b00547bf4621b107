// The task dashboard: add, edit inline, toggle, delete with undo, filter,
// sort, search as you type, load more, counts.
//
// Changes are optimistic: the screen changes at once, the request follows,
// and when the server refuses, the change is rolled back and the task says
// why. The view, filter, sort and search live in the URL
// (#/tasks?status=pending&sort=title-asc&q=milk), so a reload keeps them.
//
// The rules for all of that are in tasks-state.js; the pieces of the page
// are task-composer.js, tasks-toolbar.js and task-item.js. This module puts
// them together and talks to the server.

import * as api from '../api.js';
import { h, icon, announce, focus } from '../dom.js';
import { values, check, rules } from '../forms.js';
import { showToast } from '../toasts.js';
import * as S from './tasks-state.js';
import { taskComposer } from './task-composer.js';
import { tasksToolbar } from './tasks-toolbar.js';
import { taskItem, editItem } from './task-item.js';

const PAGE_SIZE = 20;
const UNDO_MS = 7000;

const isApiError = (error, status) => error instanceof api.ApiError && error.status === status;

/** The list's placeholder: a skeleton while the first page loads, the error with a retry, or the empty message. */
function renderListState(box, state, on) {
  box.replaceChildren();
  box.className = 'list-state';
  if (state.phase === 'loading' && state.tasks.length === 0) {
    box.classList.add('list-state--loading');
    box.append(
      h('div', { class: 'skeleton', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
      h('p', { class: 'visually-hidden', text: 'Loading your tasks…' }));
    return;
  }
  if (state.phase === 'error') {
    const retry = h('button', { type: 'button', class: 'button button--primary', text: 'Try again' });
    retry.addEventListener('click', on.retry);
    box.classList.add('list-state--error');
    box.append(h('div', { class: 'empty', role: 'alert' },
      h('h3', { class: 'empty__title', text: 'We could not load your tasks' }),
      h('p', { text: `${state.error} Nothing you saved is lost.` }),
      retry));
    return;
  }
  if (state.phase === 'ready' && state.tasks.length === 0) {
    box.append(emptyState(S.emptyMessage(state), on));
  }
}

// The button an empty list offers, by the action its message names.
const EMPTY_BUTTONS = {
  clearSearch: { class: 'button', text: 'Clear search' },
  addTask: { class: 'button button--primary', text: 'Add your first task' },
};

function emptyState({ title, text, action }, on) {
  const button = action ? h('button', { type: 'button', ...EMPTY_BUTTONS[action] }) : null;
  if (button) button.addEventListener('click', on[action]);
  return h('div', { class: 'empty' },
    icon('empty', 'empty__icon'),
    h('h3', { class: 'empty__title', text: title }),
    h('p', { text }),
    button);
}

export function render(ctx) {
  const state = S.initialState(ctx.params);
  const pendingDeletes = new Map(); // id → { task, index, toast, committing }
  let listController = null;
  let tempCounter = 0;
  let disposed = false;
  let editNode = null; // { id, li }: the open editor, kept across re-renders so typing is never lost

  // ------------------------------------------------------------------ page
  const actions = { toggle, edit: startEdit, remove, save: saveEdit, cancel: cancelEdit };
  const composer = taskComposer(add);
  const toolbar = tasksToolbar(state, {
    status: (status) => changeView({ status }),
    search: (text) => changeView({ q: text.trim() }),
    sort: (sort) => changeView({ sort }),
  });
  const listStateActions = {
    retry: () => load(),
    clearSearch: () => {
      toolbar.searchInput.value = '';
      changeView({ q: '' });
      focus(toolbar.searchInput);
    },
    addTask: () => composer.focusTitle(),
  };

  const heading = h('h1', { class: 'page-title', tabindex: '-1', text: 'My tasks' });
  const summary = h('p', { class: 'lead summary' });
  // Results of filtering and searching, for screen readers (the list shows them to everyone else).
  const listStatus = h('p', { class: 'visually-hidden', role: 'status' });
  const list = h('ul', { id: 'task-list', class: 'task-list', 'aria-labelledby': 'list-title' });
  const listState = h('div', { class: 'list-state' });
  const moreButton = h('button', { type: 'button', class: 'button more__button', text: 'Load more' });
  const moreInfo = h('p', { class: 'more__info' });
  const more = h('div', { class: 'more', hidden: true }, moreButton, moreInfo);

  const node = h('div', { class: 'page page--tasks' },
    h('div', { class: 'page__head' }, heading, summary),
    composer.node,
    h('section', { class: 'tasks', 'aria-labelledby': 'list-title' },
      h('h2', { id: 'list-title', class: 'visually-hidden', text: 'Tasks' }),
      toolbar.node,
      listStatus,
      list,
      listState,
      more));

  // ------------------------------------------------------------- rendering
  function item(task) {
    if (state.editing !== task.id) return taskItem(task, state.itemErrors.get(task.id), actions);
    if (!editNode || editNode.id !== task.id) editNode = { id: task.id, li: editItem(task, state.editDraft, actions) };
    return editNode.li;
  }

  /** Re-renders the list, keeping focus on the same control of the same task. */
  function renderList({ focusTarget = null } = {}) {
    const active = document.activeElement;
    const activeItem = active && list.contains(active) ? active.closest('.task') : null;
    const keep = activeItem ? { id: activeItem.dataset.id, key: active.dataset.key } : null;

    if (editNode && editNode.id !== state.editing) editNode = null;
    list.replaceChildren(...state.tasks.map(item));
    list.setAttribute('aria-busy', String(state.phase === 'loading'));
    list.classList.toggle('task-list--stale', state.phase === 'loading' && state.tasks.length > 0);

    renderListState(listState, state, listStateActions);
    renderMore();
    summary.textContent = S.summaryText(state);
    toolbar.showCounts(state);

    if (focusTarget) {
      focusTarget();
    } else if (active && active.isConnected && list.contains(active)) {
      if (document.activeElement !== active) active.focus(); // an open editor survived the re-render
    } else if (keep) {
      const target = control(keep.id, keep.key) ?? control(keep.id, 'toggle');
      if (target && !target.disabled) focus(target);
    }
  }

  function itemNode(id) {
    return list.querySelector(`.task[data-id="${CSS.escape(id)}"]`);
  }

  /** A control of a task's item ("toggle", "edit", "delete"), or null when the task is not shown. */
  function control(id, key) {
    return itemNode(id)?.querySelector(`[data-key="${key}"]`) ?? null;
  }

  const focusControl = (id, key) => () => focus(control(id, key));

  function renderMore() {
    const { more: hasMore, shown, total } = S.moreToLoad(state);
    more.hidden = !hasMore;
    moreButton.disabled = state.loadingMore;
    moreButton.textContent = state.loadingMore ? 'Loading…' : 'Load more';
    moreInfo.textContent = hasMore ? `Showing ${shown} of ${total}` : '';
  }

  // --------------------------------------------------------------- loading
  /** A new filter, sort or search: into the address, then load. */
  function changeView(changes) {
    Object.assign(state, changes);
    history.replaceState(null, '', S.addressOf(state));
    load({ announceResult: true });
  }

  /** Loads the first page and the counts for the current filter and search. */
  async function load({ announceResult = false } = {}) {
    if (listController) listController.abort();
    const controller = new AbortController();
    listController = controller;
    S.startLoad(state);
    renderList();
    const q = state.q || undefined;
    try {
      const [page, pending, completed] = await Promise.all([
        api.listTasks(S.listQuery(state, { limit: PAGE_SIZE, offset: 0 }), { signal: controller.signal }),
        api.countTasks({ status: 'pending', q }, { signal: controller.signal }),
        api.countTasks({ status: 'completed', q }, { signal: controller.signal }),
      ]);
      if (controller.signal.aborted || disposed) return;
      S.pageLoaded(state, { tasks: page.tasks, pending, completed }, pendingDeletes);
      renderList();
      if (announceResult) listStatus.textContent = S.resultText(state);
    } catch (error) {
      if (error.name === 'AbortError' || controller.signal.aborted || disposed) return;
      if (isApiError(error, 401)) return; // the app is on its way to the login screen
      S.loadFailed(state, error.message);
      renderList();
    } finally {
      if (listController === controller) listController = null;
    }
  }

  async function loadMore() {
    if (state.loadingMore) return;
    state.loadingMore = true;
    renderMore();
    try {
      const page = await api.listTasks(S.listQuery(state, { limit: PAGE_SIZE, offset: S.nextOffset(state, pendingDeletes) }));
      if (disposed) return;
      const fresh = S.morePageLoaded(state, page.tasks, pendingDeletes);
      state.loadingMore = false;
      renderList({ focusTarget: fresh.length ? focusControl(fresh[0].id, 'toggle') : null });
      listStatus.textContent = `Loaded ${S.plural(fresh.length, 'more task', 'more tasks')}.`;
      if (!fresh.length) more.hidden = true;
    } catch (error) {
      state.loadingMore = false;
      renderMore();
      if (isApiError(error, 401)) return;
      moreInfo.textContent = `Could not load more tasks: ${error.message}`;
      announce(moreInfo.textContent);
    }
  }

  // --------------------------------------------------------------- actions
  async function add(typed) {
    tempCounter += 1;
    const draft = S.draftTask(`temp-${tempCounter}`, typed, new Date().toISOString());
    const visible = S.applyAdd(state, draft);
    composer.clear();
    renderList();
    composer.focusTitle();

    try {
      const task = await api.createTask({ title: draft.title, description: draft.description });
      if (disposed) return;
      S.confirmAdd(state, draft, task);
      renderList();
      if (visible) {
        announce(`Added ${S.quoted(task.title)}.`);
      } else {
        composer.note(`Added ${S.quoted(task.title)}. It is not in this list because of the current ${state.q ? 'search' : 'filter'}.`);
      }
    } catch (error) {
      if (disposed) return;
      S.rollBackAdd(state, draft);
      renderList();
      if (isApiError(error, 401)) return;
      composer.refused(draft, error);
    }
  }

  async function toggle(id) {
    const task = S.applyToggle(state, id);
    if (!task) return;
    renderList();
    announce(task.completed ? `Marked ${S.quoted(task.title)} as done.` : `Marked ${S.quoted(task.title)} as not done.`);

    try {
      const answer = await api.toggleTask(id);
      const last = S.toggleSettled(state, id);
      if (disposed || !last) return; // a later toggle will bring the final answer
      Object.assign(task, answer);
      renderList();
    } catch (error) {
      S.toggleSettled(state, id);
      if (disposed) return;
      S.rollBackToggle(state, task);
      if (isApiError(error, 401)) return;
      if (isApiError(error, 404)) {
        dropMissing(task);
        return;
      }
      state.itemErrors.set(id, `Could not save that change: ${error.message} The task is back as it was.`);
      renderList();
      announce(`Could not mark ${S.quoted(task.title)}: ${error.message}`);
    }
  }

  /** A task the server no longer has (deleted elsewhere): take it off the list and say so. */
  function dropMissing(task) {
    S.dropTask(state, task);
    renderList();
    const text = `${S.quoted(task.title)} no longer exists — perhaps it was deleted on another device.`;
    showToast({ message: text });
    announce(text);
  }

  function startEdit(id) {
    S.startEditing(state, id);
    renderList({
      focusTarget: () => {
        const input = itemNode(id)?.querySelector('[data-field="title"] .input');
        if (input) {
          focus(input);
          input.setSelectionRange(input.value.length, input.value.length);
        }
      },
    });
  }

  function cancelEdit(id) {
    S.stopEditing(state);
    renderList({ focusTarget: focusControl(id, 'edit') });
  }

  async function saveEdit(id, form) {
    const task = state.tasks.find((t) => t.id === id);
    if (!task) return;
    const typed = values(form);
    if (!check(form, { title: rules.title(typed.title), description: rules.description(typed.description) })) return;

    const changes = S.editChanges(task, typed);
    if (!changes) {
      cancelEdit(id);
      return;
    }
    const before = S.applyEdit(state, task, changes, new Date().toISOString());
    renderList({ focusTarget: focusControl(id, 'edit') });
    announce(`Saved ${S.quoted(task.title)}.`);

    try {
      const answer = await api.updateTask(id, changes);
      if (disposed) return;
      Object.assign(task, answer);
      renderList();
    } catch (error) {
      if (disposed) return;
      S.rollBackEdit(task, before);
      if (isApiError(error, 401)) {
        renderList();
        return;
      }
      if (isApiError(error, 404)) {
        dropMissing(task);
        return;
      }
      if (isApiError(error, 422) && Object.keys(error.fields).length) {
        S.reopenEdit(state, id, changes, error.fields);
        editNode = null;
        renderList({ focusTarget: () => {} });
        announce(`Could not save ${S.quoted(changes.title)}. ${Object.values(error.fields).join(' ')}`);
        return;
      }
      state.itemErrors.set(id, `Could not save your changes: ${error.message} The task is back as it was.`);
      renderList();
      announce(`Could not save your changes to ${S.quoted(before.title)}: ${error.message}`);
    }
  }

  function remove(id) {
    const removed = S.applyRemove(state, id);
    if (!removed) return;
    const { task, index } = removed;
    const entry = { ...removed, toast: null };
    pendingDeletes.set(id, entry);
    renderList();

    entry.toast = showToast({
      message: `Deleted ${S.quoted(task.title)}.`,
      action: 'Undo',
      duration: UNDO_MS,
      onAction: () => undo(id),
      onClose: (reason) => {
        if (reason === 'action') return;
        commitDelete(id);
        // The toast held focus (or nothing does): put it back among the tasks.
        if (!document.activeElement || document.activeElement === document.body) focusNear(index);
      },
    });
    focus(entry.toast.actionButton);
    announce(`Deleted ${S.quoted(task.title)}. Press Undo to bring it back.`);
  }

  /** Focus after a deletion: the task now at that place, else the one before, else the new-task field. */
  function focusNear(index) {
    if (disposed) return;
    const target = S.taskNear(state, index);
    const el = target && control(target.id, 'toggle');
    if (el && !el.disabled) focus(el);
    else composer.focusTitle();
  }

  function undo(id) {
    const entry = pendingDeletes.get(id);
    if (!entry) return;
    pendingDeletes.delete(id);
    S.undoRemove(state, entry);
    renderList({ focusTarget: focusControl(id, 'toggle') });
    announce(`Restored ${S.quoted(entry.task.title)}.`);
  }

  async function commitDelete(id, { keepalive = false } = {}) {
    const entry = pendingDeletes.get(id);
    if (!entry || entry.committing) return;
    entry.committing = true;
    try {
      await api.deleteTask(id, { keepalive });
      pendingDeletes.delete(id);
    } catch (error) {
      pendingDeletes.delete(id);
      if (isApiError(error, 404)) return; // already gone
      if (disposed || isApiError(error, 401)) return;
      S.restoreTask(state, entry);
      state.itemErrors.set(id, `Could not delete this task: ${error.message}`);
      renderList();
      announce(`Could not delete ${S.quoted(entry.task.title)}: ${error.message}`);
    }
  }

  /** Sends every deletion still waiting for its undo window (leaving the page or the screen). */
  function flushDeletes({ keepalive = false } = {}) {
    for (const [id, entry] of pendingDeletes) {
      if (entry.toast) entry.toast.node.remove();
      commitDelete(id, { keepalive });
    }
  }

  // ---------------------------------------------------------------- events
  moreButton.addEventListener('click', loadMore);

  const onPageHide = () => flushDeletes({ keepalive: true });
  window.addEventListener('pagehide', onPageHide);

  renderList();
  load();

  return {
    node,
    cleanup() {
      disposed = true;
      toolbar.cleanup();
      if (listController) listController.abort();
      window.removeEventListener('pagehide', onPageHide);
      flushDeletes();
    },
  };
}
