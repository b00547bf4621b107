// The task dashboard: add, edit inline, toggle, delete with undo, filter,
// sort, search as you type, load more, counts.
//
// Changes are optimistic: the screen changes at once, the request follows,
// and when the server refuses, the change is rolled back and the task says
// why. The view, filter, sort and search live in the URL
// (#/tasks?status=pending&sort=title-asc&q=milk), so a reload keeps them.

import * as api from '../api.js';
import { h, icon, announce, focus, formatWhen } from '../dom.js';
import { field, formAlert, check, rules, values, clearErrors, showApiError, showErrors, showFormError } from '../forms.js';
import { showToast } from '../toasts.js';

const PAGE_SIZE = 20;
const SEARCH_DELAY_MS = 300;
const UNDO_MS = 7000;

const FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'To do' },
  { value: 'completed', label: 'Done' },
];

const SORTS = [
  { value: 'created-desc', label: 'Newest first' },
  { value: 'created-asc', label: 'Oldest first' },
  { value: 'updated-desc', label: 'Recently changed' },
  { value: 'updated-asc', label: 'Least recently changed' },
  { value: 'title-asc', label: 'Title A–Z' },
  { value: 'title-desc', label: 'Title Z–A' },
];

function quoted(text) {
  const t = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return `“${t}”`;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

export function render(ctx) {
  // ------------------------------------------------------------------ state
  const params = ctx.params;
  const state = {
    status: FILTERS.some((f) => f.value === params.get('status')) ? params.get('status') : 'all',
    sort: SORTS.some((s) => s.value === params.get('sort')) ? params.get('sort') : 'created-desc',
    q: (params.get('q') ?? '').slice(0, 200),
    tasks: [], // loaded tasks, in display order
    counts: null, // { pending, completed } for the current search
    phase: 'loading', // loading | ready | error
    error: null,
    editing: null, // id of the task being edited
    editDraft: null, // { title, description, fields } to reopen an edit the server refused
    itemErrors: new Map(), // id → message
    inflight: new Map(), // id → number of toggles in flight
    loadingMore: false,
  };
  const pendingDeletes = new Map(); // id → { task, index, toast, timer }
  let listController = null;
  let searchTimer = 0;
  let tempCounter = 0;
  let disposed = false;
  let editNode = null; // { id, li }: the open editor, kept across re-renders so typing is never lost

  const matchesStatus = (task) => state.status === 'all' || (state.status === 'completed') === task.completed;
  const matchesSearch = (task) => {
    if (!state.q) return true;
    const q = state.q.toLowerCase();
    return task.title.toLowerCase().includes(q) || (task.description ?? '').toLowerCase().includes(q);
  };
  const viewTotal = () => {
    if (!state.counts) return null;
    const { pending, completed } = state.counts;
    return state.status === 'pending' ? pending : state.status === 'completed' ? completed : pending + completed;
  };
  const loadedInView = () => state.tasks.filter((t) => !t.temp && matchesStatus(t)).length;

  function adjustCounts(task, delta) {
    if (!state.counts) return;
    state.counts[task.completed ? 'completed' : 'pending'] += delta;
  }

  // --------------------------------------------------------------- elements
  const heading = h('h1', { class: 'page-title', tabindex: '-1', text: 'My tasks' });
  const summary = h('p', { class: 'lead summary' });

  // New task
  const composer = h('form', { class: 'composer', novalidate: true, 'aria-labelledby': 'composer-title' },
    h('h2', { id: 'composer-title', class: 'visually-hidden', text: 'Add a task' }),
    formAlert(),
    h('div', { class: 'composer__row' },
      field({ name: 'title', label: 'New task', maxlength: 200, required: true, placeholder: 'What needs doing?', className: 'composer__title', autocomplete: 'off' }),
      h('button', { type: 'submit', class: 'button button--primary composer__submit' }, icon('plus'), h('span', { text: 'Add task' }))),
    field({ name: 'description', label: 'Details', optional: true, multiline: true, rows: 2, maxlength: 1000, placeholder: 'Notes, links, quantities…', className: 'composer__description' }));
  const titleInput = composer.querySelector('[data-field="title"] .input');
  const descriptionInput = composer.querySelector('[data-field="description"] .input');
  const composerNote = h('p', { class: 'composer__note', role: 'status' });

  // Toolbar
  const filterInputs = FILTERS.map((f) => h('input', {
    type: 'radio', name: 'status', value: f.value, id: `filter-${f.value}`, class: 'segmented__input', checked: f.value === state.status,
  }));
  const filterCounts = new Map(FILTERS.map((f) => [f.value, h('span', { class: 'segmented__count' })]));
  const filters = h('fieldset', { class: 'segmented' },
    h('legend', { class: 'visually-hidden', text: 'Show' }),
    FILTERS.map((f, i) => [
      filterInputs[i],
      h('label', { for: `filter-${f.value}`, class: 'segmented__option' }, h('span', { text: f.label }), filterCounts.get(f.value)),
    ]));

  const searchInput = h('input', {
    type: 'search', id: 'task-search', class: 'input search__input', placeholder: 'Search tasks', autocomplete: 'off', value: state.q, maxlength: 200,
    'aria-controls': 'task-list',
  });
  const search = h('div', { class: 'search' },
    h('label', { for: 'task-search', class: 'visually-hidden', text: 'Search tasks' }),
    icon('search', 'icon search__icon'),
    searchInput);

  const sortSelect = h('select', { id: 'task-sort', class: 'input select', 'aria-controls': 'task-list' },
    SORTS.map((s) => h('option', { value: s.value, text: s.label })));
  sortSelect.value = state.sort;
  const sort = h('div', { class: 'sort' },
    h('label', { for: 'task-sort', class: 'sort__label', text: 'Sort' }),
    sortSelect);

  const toolbar = h('div', { class: 'toolbar' }, filters, h('div', { class: 'toolbar__row' }, search, sort));

  // List
  // Results of filtering and searching, for screen readers (the list shows them to everyone else).
  const listStatus = h('p', { class: 'visually-hidden', role: 'status' });
  const list = h('ul', { id: 'task-list', class: 'task-list', 'aria-labelledby': 'list-title' });
  const listState = h('div', { class: 'list-state' });
  const moreButton = h('button', { type: 'button', class: 'button more__button', text: 'Load more' });
  const moreInfo = h('p', { class: 'more__info' });
  const more = h('div', { class: 'more', hidden: true }, moreButton, moreInfo);

  const node = h('div', { class: 'page page--tasks' },
    h('div', { class: 'page__head' }, heading, summary),
    h('section', { class: 'card composer-card', 'aria-labelledby': 'composer-title' }, composer, composerNote),
    h('section', { class: 'tasks', 'aria-labelledby': 'list-title' },
      h('h2', { id: 'list-title', class: 'visually-hidden', text: 'Tasks' }),
      toolbar,
      listStatus,
      list,
      listState,
      more));

  // --------------------------------------------------------------- rendering
  function renderCounts() {
    if (!state.counts) {
      summary.textContent = '';
      for (const span of filterCounts.values()) span.textContent = '';
      return;
    }
    const { pending, completed } = state.counts;
    const all = pending + completed;
    // Nothing to filter, sort or search yet: keep the first visit simple.
    toolbar.hidden = all === 0 && !state.q && state.status === 'all';
    filterCounts.get('all').textContent = String(all);
    filterCounts.get('pending').textContent = String(pending);
    filterCounts.get('completed').textContent = String(completed);
    if (state.q) {
      summary.textContent = `${plural(all, 'task matches', 'tasks match')} ${quoted(state.q)}.`;
    } else if (all === 0) {
      summary.textContent = 'Nothing here yet.';
    } else if (pending === 0) {
      summary.textContent = `All ${plural(completed, 'task', 'tasks')} done. Nice work.`;
    } else {
      summary.textContent = `${pending} to do · ${completed} done`;
    }
  }

  function meta(task) {
    if (task.temp) return 'Saving…';
    const added = `Added ${formatWhen(task.created_at)}`;
    const changedMs = Date.parse(task.updated_at) - Date.parse(task.created_at);
    return changedMs > 60000 ? `${added} · changed ${formatWhen(task.updated_at)}` : added;
  }

  function taskItem(task) {
    if (state.editing === task.id) {
      if (!editNode || editNode.id !== task.id) editNode = { id: task.id, li: editItem(task) };
      return editNode.li;
    }
    const checkId = `check-${task.id}`;
    const descId = task.description ? `desc-${task.id}` : null;
    const checkbox = h('input', {
      type: 'checkbox', id: checkId, class: 'checkbox', checked: task.completed, 'data-key': 'toggle',
      'aria-describedby': descId ?? undefined, disabled: task.temp,
    });
    checkbox.addEventListener('change', () => toggle(task.id));
    const edit = h('button', {
      type: 'button', class: 'icon-button', 'data-key': 'edit', 'aria-label': `Edit ${quoted(task.title)}`, title: 'Edit', disabled: task.temp,
    }, icon('edit'));
    edit.addEventListener('click', () => startEdit(task.id));
    const del = h('button', {
      type: 'button', class: 'icon-button icon-button--danger', 'data-key': 'delete', 'aria-label': `Delete ${quoted(task.title)}`, title: 'Delete', disabled: task.temp,
    }, icon('trash'));
    del.addEventListener('click', () => remove(task.id));

    const error = state.itemErrors.get(task.id);
    return h('li', { class: ['task', task.completed && 'task--done', task.temp && 'task--saving'], 'data-id': task.id },
      h('div', { class: 'task__main' },
        checkbox,
        h('div', { class: 'task__body' },
          h('label', { for: checkId, class: 'task__title', text: task.title }),
          task.description ? h('p', { id: descId, class: 'task__description', text: task.description }) : null,
          h('p', { class: 'task__meta', text: meta(task) })),
        h('div', { class: 'task__actions' }, edit, del)),
      error ? h('p', { class: 'task__error', role: 'alert', text: error }) : null);
  }

  function editItem(task) {
    const draft = state.editDraft ?? { title: task.title, description: task.description ?? '' };
    const form = h('form', { class: 'task-edit', novalidate: true, 'aria-label': `Edit ${quoted(task.title)}` },
      formAlert(),
      field({ name: 'title', label: 'Title', maxlength: 200, required: true, value: draft.title, autocomplete: 'off' }),
      field({ name: 'description', label: 'Details', optional: true, multiline: true, rows: 3, maxlength: 1000, value: draft.description }),
      h('div', { class: 'task-edit__actions' },
        h('button', { type: 'submit', class: 'button button--primary', text: 'Save' }),
        h('button', { type: 'button', class: 'button', 'data-action': 'cancel', text: 'Cancel' }),
        h('span', { class: 'task-edit__hint', text: 'Enter saves · Esc cancels' })));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      saveEdit(task.id, form);
    });
    form.querySelector('[data-action="cancel"]').addEventListener('click', () => cancelEdit(task.id));
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        cancelEdit(task.id);
      }
    });
    if (state.editDraft?.fields) {
      const fields = state.editDraft.fields;
      queueMicrotask(() => showErrors(form, fields));
    }
    return h('li', { class: 'task task--editing', 'data-id': task.id }, form);
  }

  /** Re-renders the list, keeping focus on the same control of the same task. */
  function renderList({ focusTarget = null } = {}) {
    const active = document.activeElement;
    const activeItem = active && list.contains(active) ? active.closest('.task') : null;
    const keep = activeItem ? { id: activeItem.dataset.id, key: active.dataset.key } : null;

    if (editNode && editNode.id !== state.editing) editNode = null;
    list.replaceChildren(...state.tasks.map(taskItem));
    list.setAttribute('aria-busy', String(state.phase === 'loading'));
    list.classList.toggle('task-list--stale', state.phase === 'loading' && state.tasks.length > 0);

    renderListState();
    renderMore();
    renderCounts();

    if (focusTarget) {
      focusTarget();
    } else if (active && active.isConnected && list.contains(active)) {
      if (document.activeElement !== active) active.focus(); // an open editor survived the re-render
    } else if (keep) {
      const item = itemNode(keep.id);
      const target = item && (item.querySelector(`[data-key="${keep.key}"]`) ?? item.querySelector('[data-key="toggle"]'));
      if (target && !target.disabled) focus(target);
    }
  }

  function itemNode(id) {
    return list.querySelector(`.task[data-id="${CSS.escape(id)}"]`);
  }

  function renderListState() {
    listState.replaceChildren();
    listState.className = 'list-state';
    if (state.phase === 'loading' && state.tasks.length === 0) {
      listState.classList.add('list-state--loading');
      listState.append(
        h('div', { class: 'skeleton', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
        h('p', { class: 'visually-hidden', text: 'Loading your tasks…' }));
      return;
    }
    if (state.phase === 'error') {
      const retry = h('button', { type: 'button', class: 'button button--primary', text: 'Try again' });
      retry.addEventListener('click', () => load());
      listState.classList.add('list-state--error');
      listState.append(h('div', { class: 'empty', role: 'alert' },
        h('h3', { class: 'empty__title', text: 'We could not load your tasks' }),
        h('p', { text: `${state.error} Nothing you saved is lost.` }),
        retry));
      return;
    }
    if (state.phase === 'ready' && state.tasks.length === 0) {
      listState.append(emptyState());
    }
  }

  function emptyState() {
    const box = (title, text, button) => h('div', { class: 'empty' },
      icon('empty', 'empty__icon'),
      h('h3', { class: 'empty__title', text: title }),
      h('p', { text }),
      button);
    if (state.q) {
      const clear = h('button', { type: 'button', class: 'button', text: 'Clear search' });
      clear.addEventListener('click', () => {
        searchInput.value = '';
        setQuery('');
        focus(searchInput);
      });
      const where = state.status === 'all' ? '' : ` among ${state.status === 'pending' ? 'to-do' : 'done'} tasks`;
      return box(`No tasks match ${quoted(state.q)}${where}`, 'Check the spelling, or search for a shorter word.', clear);
    }
    const total = state.counts ? state.counts.pending + state.counts.completed : 0;
    if (state.status === 'pending' && total > 0) {
      return box('Nothing left to do', 'Every task is done. Add a new one above, or look at your finished tasks under “Done”.', null);
    }
    if (state.status === 'completed' && total > 0) {
      return box('No finished tasks yet', 'Tick the box next to a task when it is done, and it will show up here.', null);
    }
    const start = h('button', { type: 'button', class: 'button button--primary', text: 'Add your first task' });
    start.addEventListener('click', () => focus(titleInput));
    return box('No tasks yet', 'Write what needs doing in the box above and press Enter. You can add details, tick tasks off when they are done, and find them again with search.', start);
  }

  function renderMore() {
    const total = viewTotal();
    const shown = loadedInView();
    const hasMore = state.phase === 'ready' && total !== null && shown < total;
    more.hidden = !hasMore;
    moreButton.disabled = state.loadingMore;
    moreButton.textContent = state.loadingMore ? 'Loading…' : 'Load more';
    moreInfo.textContent = hasMore ? `Showing ${shown} of ${total}` : '';
  }

  // ------------------------------------------------------------------ loading
  function syncUrl() {
    const p = new URLSearchParams();
    if (state.status !== 'all') p.set('status', state.status);
    if (state.sort !== 'created-desc') p.set('sort', state.sort);
    if (state.q) p.set('q', state.q);
    const qs = p.toString();
    history.replaceState(null, '', `#/tasks${qs ? `?${qs}` : ''}`);
  }

  function query(extra = {}) {
    const [sort, order] = state.sort.split('-');
    return { status: state.status, sort, order, q: state.q || undefined, ...extra };
  }

  /** Loads the first page and the counts for the current filter and search. */
  async function load({ announceResult = false } = {}) {
    if (listController) listController.abort();
    const controller = new AbortController();
    listController = controller;
    state.phase = 'loading';
    state.editing = null;
    state.editDraft = null;
    renderList();
    const q = state.q || undefined;
    try {
      const [page, pending, completed] = await Promise.all([
        api.listTasks(query({ limit: PAGE_SIZE, offset: 0 }), { signal: controller.signal }),
        api.countTasks({ status: 'pending', q }, { signal: controller.signal }),
        api.countTasks({ status: 'completed', q }, { signal: controller.signal }),
      ]);
      if (controller.signal.aborted || disposed) return;
      state.tasks = page.tasks.filter((t) => !pendingDeletes.has(t.id));
      state.counts = { pending, completed };
      for (const entry of pendingDeletes.values()) if (matchesSearch(entry.task)) adjustCounts(entry.task, -1);
      state.phase = 'ready';
      state.itemErrors.clear();
      renderList();
      if (announceResult) {
        const total = viewTotal();
        listStatus.textContent = state.q
          ? `${plural(total, 'task matches', 'tasks match')} ${quoted(state.q)}.`
          : `Showing ${plural(total, 'task', 'tasks')}.`;
      }
    } catch (error) {
      if (error.name === 'AbortError' || controller.signal.aborted || disposed) return;
      if (error instanceof api.ApiError && error.status === 401) return; // the app is on its way to the login screen
      state.phase = 'error';
      state.error = error.message;
      state.tasks = []; // what is on screen no longer matches the chosen view
      renderList();
    } finally {
      if (listController === controller) listController = null;
    }
  }

  async function loadMore() {
    if (state.loadingMore) return;
    state.loadingMore = true;
    renderMore();
    // The server still holds tasks whose deletion waits for its undo window.
    const uncommitted = [...pendingDeletes.values()].filter((d) => matchesStatus(d.task)).length;
    try {
      const page = await api.listTasks(query({ limit: PAGE_SIZE, offset: loadedInView() + uncommitted }));
      if (disposed) return;
      const known = new Set(state.tasks.map((t) => t.id));
      const fresh = page.tasks.filter((t) => !known.has(t.id) && !pendingDeletes.has(t.id));
      state.tasks.push(...fresh);
      state.loadingMore = false;
      renderList({
        focusTarget: fresh.length ? () => focus(itemNode(fresh[0].id)?.querySelector('[data-key="toggle"]')) : null,
      });
      listStatus.textContent = `Loaded ${plural(fresh.length, 'more task', 'more tasks')}.`;
      if (!fresh.length) more.hidden = true;
    } catch (error) {
      state.loadingMore = false;
      renderMore();
      if (error instanceof api.ApiError && error.status === 401) return;
      moreInfo.textContent = `Could not load more tasks: ${error.message}`;
      announce(moreInfo.textContent);
    }
  }

  function setQuery(q) {
    state.q = q.trim();
    syncUrl();
    load({ announceResult: true });
  }

  // ------------------------------------------------------------------ actions
  async function add(event) {
    event.preventDefault();
    composerNote.textContent = '';
    const { title, description } = values(composer);
    if (!check(composer, { title: rules.title(title), description: rules.description(description) })) return;

    const now = new Date().toISOString();
    tempCounter += 1;
    const temp = {
      id: `temp-${tempCounter}`, temp: true, title: title.trim(), description: description.trim() || null,
      completed: false, created_at: now, updated_at: now,
    };
    const visible = matchesStatus(temp) && matchesSearch(temp);
    if (visible) {
      state.tasks.unshift(temp);
      if (state.phase !== 'ready') state.phase = 'ready';
    }
    adjustCounts(temp, matchesSearch(temp) ? +1 : 0);
    composer.reset();
    renderList();
    focus(titleInput);

    try {
      const task = await api.createTask({ title: temp.title, description: temp.description });
      if (disposed) return;
      const index = state.tasks.indexOf(temp);
      if (index >= 0) state.tasks[index] = task;
      renderList();
      if (visible) {
        announce(`Added ${quoted(task.title)}.`);
      } else {
        composerNote.textContent = `Added ${quoted(task.title)}. It is not in this list because of the current ${state.q ? 'search' : 'filter'}.`;
      }
    } catch (error) {
      if (disposed) return;
      state.tasks = state.tasks.filter((t) => t !== temp);
      adjustCounts(temp, matchesSearch(temp) ? -1 : 0);
      renderList();
      if (error instanceof api.ApiError && error.status === 401) return;
      // Give the person their text back (unless they already typed something new).
      if (!titleInput.value && !descriptionInput.value) {
        titleInput.value = temp.title;
        descriptionInput.value = temp.description ?? '';
      }
      clearErrors(composer);
      const message = `Could not add ${quoted(temp.title)}: ${error.message}`;
      if (error instanceof api.ApiError && error.status === 422 && Object.keys(error.fields).length) {
        showApiError(composer, error);
      } else {
        showFormError(composer, message);
      }
    }
  }

  async function toggle(id) {
    const task = state.tasks.find((t) => t.id === id);
    if (!task) return;
    state.itemErrors.delete(id);
    adjustCounts(task, -1);
    task.completed = !task.completed;
    adjustCounts(task, +1);
    renderList();
    announce(task.completed ? `Marked ${quoted(task.title)} as done.` : `Marked ${quoted(task.title)} as not done.`);

    state.inflight.set(id, (state.inflight.get(id) ?? 0) + 1);
    try {
      const answer = await api.toggleTask(id);
      const left = state.inflight.get(id) - 1;
      state.inflight.set(id, left);
      if (disposed || left > 0) return; // a later toggle will bring the final answer
      Object.assign(task, answer);
      renderList();
    } catch (error) {
      state.inflight.set(id, state.inflight.get(id) - 1);
      if (disposed) return;
      adjustCounts(task, -1);
      task.completed = !task.completed; // undo just this flip
      adjustCounts(task, +1);
      if (error instanceof api.ApiError && error.status === 401) return;
      if (error instanceof api.ApiError && error.status === 404) {
        dropMissing(task);
        return;
      }
      state.itemErrors.set(id, `Could not save that change: ${error.message} The task is back as it was.`);
      renderList();
      announce(`Could not mark ${quoted(task.title)}: ${error.message}`);
    }
  }

  /** A task the server no longer has (deleted elsewhere): take it off the list and say so. */
  function dropMissing(task) {
    adjustCounts(task, -1);
    state.tasks = state.tasks.filter((t) => t !== task);
    renderList();
    const text = `${quoted(task.title)} no longer exists — perhaps it was deleted on another device.`;
    showToast({ message: text });
    announce(text);
  }

  function startEdit(id) {
    state.editing = id;
    state.editDraft = null;
    state.itemErrors.delete(id);
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
    state.editing = null;
    state.editDraft = null;
    renderList({ focusTarget: () => focus(itemNode(id)?.querySelector('[data-key="edit"]')) });
  }

  async function saveEdit(id, form) {
    const task = state.tasks.find((t) => t.id === id);
    if (!task) return;
    const { title, description } = values(form);
    if (!check(form, { title: rules.title(title), description: rules.description(description) })) return;

    const changes = { title: title.trim(), description: description.trim() || null };
    if (changes.title === task.title && changes.description === (task.description ?? null)) {
      cancelEdit(id);
      return;
    }
    const before = { ...task };
    Object.assign(task, changes, { updated_at: new Date().toISOString() });
    state.editing = null;
    state.editDraft = null;
    renderList({ focusTarget: () => focus(itemNode(id)?.querySelector('[data-key="edit"]')) });
    announce(`Saved ${quoted(task.title)}.`);

    try {
      const answer = await api.updateTask(id, changes);
      if (disposed) return;
      Object.assign(task, answer);
      renderList();
    } catch (error) {
      if (disposed) return;
      Object.assign(task, before);
      if (error instanceof api.ApiError && error.status === 401) {
        renderList();
        return;
      }
      if (error instanceof api.ApiError && error.status === 404) {
        dropMissing(task);
        return;
      }
      if (error instanceof api.ApiError && error.status === 422 && Object.keys(error.fields).length) {
        // Reopen the editor with what the person typed and the server's reasons.
        state.editing = id;
        state.editDraft = { title: changes.title, description: changes.description ?? '', fields: error.fields };
        editNode = null;
        renderList({ focusTarget: () => {} });
        announce(`Could not save ${quoted(changes.title)}. ${Object.values(error.fields).join(' ')}`);
        return;
      }
      state.itemErrors.set(id, `Could not save your changes: ${error.message} The task is back as it was.`);
      renderList();
      announce(`Could not save your changes to ${quoted(before.title)}: ${error.message}`);
    }
  }

  function remove(id) {
    const index = state.tasks.findIndex((t) => t.id === id);
    if (index < 0) return;
    const [task] = state.tasks.splice(index, 1);
    state.itemErrors.delete(id);
    adjustCounts(task, -1);
    const entry = { task, index, toast: null };
    pendingDeletes.set(id, entry);
    renderList();

    entry.toast = showToast({
      message: `Deleted ${quoted(task.title)}.`,
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
    announce(`Deleted ${quoted(task.title)}. Press Undo to bring it back.`);
  }

  /** Focus after a deletion: the task now at that place, else the one before, else the new-task field. */
  function focusNear(index) {
    if (disposed) return;
    const target = state.tasks[Math.min(index, state.tasks.length - 1)];
    const el = target && itemNode(target.id)?.querySelector('[data-key="toggle"]');
    focus(el && !el.disabled ? el : titleInput);
  }

  function undo(id) {
    const entry = pendingDeletes.get(id);
    if (!entry) return;
    pendingDeletes.delete(id);
    const { task, index } = entry;
    state.tasks.splice(Math.min(index, state.tasks.length), 0, task);
    adjustCounts(task, +1);
    if (state.phase === 'ready' || state.tasks.length === 1) state.phase = 'ready';
    renderList({ focusTarget: () => focus(itemNode(id)?.querySelector('[data-key="toggle"]')) });
    announce(`Restored ${quoted(task.title)}.`);
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
      if (error instanceof api.ApiError && error.status === 404) return; // already gone
      if (disposed || (error instanceof api.ApiError && error.status === 401)) return;
      const { task, index } = entry;
      state.tasks.splice(Math.min(index, state.tasks.length), 0, task);
      adjustCounts(task, +1);
      state.itemErrors.set(id, `Could not delete this task: ${error.message}`);
      renderList();
      announce(`Could not delete ${quoted(task.title)}: ${error.message}`);
    }
  }

  /** Sends every deletion still waiting for its undo window (leaving the page or the screen). */
  function flushDeletes({ keepalive = false } = {}) {
    for (const [id, entry] of pendingDeletes) {
      if (entry.toast) entry.toast.node.remove();
      commitDelete(id, { keepalive });
    }
  }

  // ------------------------------------------------------------------- events
  composer.addEventListener('submit', add);
  composer.addEventListener('focusin', () => composer.classList.add('composer--open'));
  titleInput.addEventListener('input', () => {
    composerNote.textContent = '';
  });

  filters.addEventListener('change', (event) => {
    state.status = event.target.value;
    syncUrl();
    load({ announceResult: true });
  });

  searchInput.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => setQuery(searchInput.value), SEARCH_DELAY_MS);
  });
  searchInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      clearTimeout(searchTimer);
      setQuery(searchInput.value);
    }
  });

  sortSelect.addEventListener('change', () => {
    state.sort = sortSelect.value;
    syncUrl();
    load({ announceResult: true });
  });

  moreButton.addEventListener('click', loadMore);

  const onPageHide = () => flushDeletes({ keepalive: true });
  window.addEventListener('pagehide', onPageHide);

  renderList();
  load();

  return {
    node,
    cleanup() {
      disposed = true;
      clearTimeout(searchTimer);
      if (listController) listController.abort();
      window.removeEventListener('pagehide', onPageHide);
      flushDeletes();
    },
  };
}
