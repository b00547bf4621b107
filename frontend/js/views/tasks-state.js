// The task dashboard's state and the rules that change it: which tasks the
// view shows, the counts behind the filters, optimistic changes and their
// roll-back, and the address that keeps a view across reloads.
//
// No DOM and no network here, so node's test runner imports this module as it
// is (tests/frontend). A function changes nothing but the state and the tasks
// it is given; the view renders and talks to the server.

export const FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'To do' },
  { value: 'completed', label: 'Done' },
];

export const SORTS = [
  { value: 'created-desc', label: 'Newest first' },
  { value: 'created-asc', label: 'Oldest first' },
  { value: 'updated-desc', label: 'Recently changed' },
  { value: 'updated-asc', label: 'Least recently changed' },
  { value: 'title-asc', label: 'Title A–Z' },
  { value: 'title-desc', label: 'Title Z–A' },
];

const DEFAULT_STATUS = FILTERS[0].value;
const DEFAULT_SORT = SORTS[0].value;

// ------------------------------------------------------------ URL ↔ state

/** The state for the address's parameters (URLSearchParams); what is unknown there falls back to the default. */
export function initialState(params) {
  const status = params.get('status');
  const sort = params.get('sort');
  return {
    status: FILTERS.some((f) => f.value === status) ? status : DEFAULT_STATUS,
    sort: SORTS.some((s) => s.value === sort) ? sort : DEFAULT_SORT,
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
}

/** The address of the state's view ("#/tasks?status=pending&sort=title-asc&q=milk"), defaults left out. */
export function addressOf(state) {
  const p = new URLSearchParams();
  if (state.status !== DEFAULT_STATUS) p.set('status', state.status);
  if (state.sort !== DEFAULT_SORT) p.set('sort', state.sort);
  if (state.q) p.set('q', state.q);
  const qs = p.toString();
  return `#/tasks${qs ? `?${qs}` : ''}`;
}

/** The API's list query for the view ({ status, sort, order, q }), with `extra` (limit, offset). */
export function listQuery(state, extra = {}) {
  const [sort, order] = state.sort.split('-');
  return { status: state.status, sort, order, q: state.q || undefined, ...extra };
}

// ---------------------------------------------------------- filters, counts

/** Whether the task belongs to the chosen filter. */
export function matchesStatus(state, task) {
  return state.status === 'all' || (state.status === 'completed') === task.completed;
}

/** Whether the task matches the search, as the server matches it: case-insensitive, in title or details. */
export function matchesSearch(state, task) {
  if (!state.q) return true;
  const q = state.q.toLowerCase();
  return task.title.toLowerCase().includes(q) || (task.description ?? '').toLowerCase().includes(q);
}

/** The numbers on the filters ({ all, pending, completed }), or null before they are known. */
export function filterCounts(state) {
  if (!state.counts) return null;
  const { pending, completed } = state.counts;
  return { all: pending + completed, pending, completed };
}

/** How many tasks the server holds for the view, or null before the counts are known. */
export function viewTotal(state) {
  const counts = filterCounts(state);
  return counts ? counts[state.status] : null;
}

/** How many of the view's tasks are loaded (not counting those still being created). */
export function loadedInView(state) {
  return state.tasks.filter((t) => !t.temp && matchesStatus(state, t)).length;
}

/** What "Load more" says: { more, shown, total }; `more` when the server holds tasks of the view not loaded yet. */
export function moreToLoad(state) {
  const total = viewTotal(state);
  const shown = loadedInView(state);
  return { more: state.phase === 'ready' && total !== null && shown < total, shown, total };
}

/** Whether the toolbar has nothing to offer yet: no task at all, no search, no filter. */
export function toolbarIdle(state) {
  const counts = filterCounts(state);
  return counts !== null && counts.all === 0 && !state.q && state.status === DEFAULT_STATUS;
}

function adjustCounts(state, task, delta) {
  if (!state.counts) return;
  state.counts[task.completed ? 'completed' : 'pending'] += delta;
}

// ----------------------------------------------------------------- loading

/** A new first page is on its way: what is shown is stale, and an open editor closes. */
export function startLoad(state) {
  state.phase = 'loading';
  state.editing = null;
  state.editDraft = null;
}

/**
 * Takes in a first page and the counts. `waiting` holds the deletions still
 * in their undo window (id → { task }): the server has those tasks yet, the
 * person has already seen them go.
 */
export function pageLoaded(state, { tasks, pending, completed }, waiting) {
  state.tasks = tasks.filter((t) => !waiting.has(t.id));
  state.counts = { pending, completed };
  for (const entry of waiting.values()) if (matchesSearch(state, entry.task)) adjustCounts(state, entry.task, -1);
  state.phase = 'ready';
  state.itemErrors.clear();
}

/** The first page could not be loaded. */
export function loadFailed(state, message) {
  state.phase = 'error';
  state.error = message;
  state.tasks = []; // what is on screen no longer matches the chosen view
}

/** Where the next page starts on the server, which still holds the tasks waiting to be deleted. */
export function nextOffset(state, waiting) {
  const uncommitted = [...waiting.values()].filter((d) => matchesStatus(state, d.task)).length;
  return loadedInView(state) + uncommitted;
}

/** Appends a further page, without the tasks already shown or waiting to be deleted; gives those appended. */
export function morePageLoaded(state, tasks, waiting) {
  const known = new Set(state.tasks.map((t) => t.id));
  const fresh = tasks.filter((t) => !known.has(t.id) && !waiting.has(t.id));
  state.tasks.push(...fresh);
  return fresh;
}

// ------------------------------------------------- optimistic changes: add

/** A stand-in for a task the server has not created yet ({ title, description } as typed). */
export function draftTask(id, { title, description }, now) {
  return {
    id, temp: true, title: title.trim(), description: description.trim() || null,
    completed: false, created_at: now, updated_at: now,
  };
}

/** Shows a task being created at the top, when the view would show it; gives whether it does. */
export function applyAdd(state, draft) {
  const visible = matchesStatus(state, draft) && matchesSearch(state, draft);
  if (visible) {
    state.tasks.unshift(draft);
    state.phase = 'ready';
  }
  if (matchesSearch(state, draft)) adjustCounts(state, draft, +1);
  return visible;
}

/** The server created the task: it takes the stand-in's place. */
export function confirmAdd(state, draft, task) {
  const index = state.tasks.indexOf(draft);
  if (index >= 0) state.tasks[index] = task;
}

/** The server refused the task: the stand-in goes. */
export function rollBackAdd(state, draft) {
  state.tasks = state.tasks.filter((t) => t !== draft);
  if (matchesSearch(state, draft)) adjustCounts(state, draft, -1);
}

// ---------------------------------------------- optimistic changes: toggle

function flip(state, task) {
  adjustCounts(state, task, -1);
  task.completed = !task.completed;
  adjustCounts(state, task, +1);
}

/** Flips a task at once and counts its request in flight; gives the task, or null when it is not in the list. */
export function applyToggle(state, id) {
  const task = state.tasks.find((t) => t.id === id);
  if (!task) return null;
  state.itemErrors.delete(id);
  flip(state, task);
  state.inflight.set(id, (state.inflight.get(id) ?? 0) + 1);
  return task;
}

/** One toggle request of the task has ended; gives whether it was the last in flight (whose answer counts). */
export function toggleSettled(state, id) {
  const left = state.inflight.get(id) - 1;
  state.inflight.set(id, left);
  return left === 0;
}

/** The server refused one toggle: undo just that flip. */
export function rollBackToggle(state, task) {
  flip(state, task);
}

// ------------------------------------------------ optimistic changes: edit

/** Opens the editor on a task. */
export function startEditing(state, id) {
  state.editing = id;
  state.editDraft = null;
  state.itemErrors.delete(id);
}

/** Closes the editor. */
export function stopEditing(state) {
  state.editing = null;
  state.editDraft = null;
}

/** What an edit ({ title, description } as typed) changes, trimmed; null when it changes nothing. */
export function editChanges(task, { title, description }) {
  const changes = { title: title.trim(), description: description.trim() || null };
  if (changes.title === task.title && changes.description === (task.description ?? null)) return null;
  return changes;
}

/** Applies an edit at once and closes the editor; gives the task as it was, for the roll-back. */
export function applyEdit(state, task, changes, now) {
  const before = { ...task };
  Object.assign(task, changes, { updated_at: now });
  stopEditing(state);
  return before;
}

/** The server refused an edit: the task is back as it was. */
export function rollBackEdit(task, before) {
  Object.assign(task, before);
}

/** Reopens the editor with what the person typed and the server's reasons ({ field: message }). */
export function reopenEdit(state, id, changes, fields) {
  state.editing = id;
  state.editDraft = { title: changes.title, description: changes.description ?? '', fields };
}

// ---------------------------------------------- optimistic changes: delete

/** Takes a task off the list at once; gives { task, index } to bring it back, or null when it is not in the list. */
export function applyRemove(state, id) {
  const index = state.tasks.findIndex((t) => t.id === id);
  if (index < 0) return null;
  const [task] = state.tasks.splice(index, 1);
  state.itemErrors.delete(id);
  adjustCounts(state, task, -1);
  return { task, index };
}

/** Puts a removed task ({ task, index }) back in its place, or last when the list has shrunk since. */
export function restoreTask(state, { task, index }) {
  state.tasks.splice(Math.min(index, state.tasks.length), 0, task);
  adjustCounts(state, task, +1);
}

/** Undo: the task is back, and a list that was empty (or failed to load) shows it. */
export function undoRemove(state, removed) {
  restoreTask(state, removed);
  if (state.phase === 'ready' || state.tasks.length === 1) state.phase = 'ready';
}

/** A task the server no longer has: off the list and out of the counts. */
export function dropTask(state, task) {
  adjustCounts(state, task, -1);
  state.tasks = state.tasks.filter((t) => t !== task);
}

/** The task to focus after a deletion at `index`: the one now there, else the one before (undefined when none is left). */
export function taskNear(state, index) {
  return state.tasks[Math.min(index, state.tasks.length - 1)];
}

// ------------------------------------------------------------------- words

/** A task's title in quotes, shortened to 60 characters. */
export function quoted(text) {
  const t = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return `“${t}”`;
}

/** "1 task", "2 tasks". */
export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function matchText(n, q) {
  return `${plural(n, 'task matches', 'tasks match')} ${quoted(q)}.`;
}

/** The line under the heading: how many tasks, to do and done; empty before the counts are known. */
export function summaryText(state) {
  const counts = filterCounts(state);
  if (!counts) return '';
  const { all, pending, completed } = counts;
  if (state.q) return matchText(all, state.q);
  if (all === 0) return 'Nothing here yet.';
  if (pending === 0) return `All ${plural(completed, 'task', 'tasks')} done. Nice work.`;
  return `${pending} to do · ${completed} done`;
}

/** What screen readers hear when a new filter, sort or search has loaded. */
export function resultText(state) {
  const total = viewTotal(state);
  return state.q ? matchText(total, state.q) : `Showing ${plural(total, 'task', 'tasks')}.`;
}

/**
 * What an empty list says: { title, text, action }, action being
 * "clearSearch", "addTask" or null.
 */
export function emptyMessage(state) {
  if (state.q) {
    const where = state.status === 'all' ? '' : ` among ${state.status === 'pending' ? 'to-do' : 'done'} tasks`;
    return {
      title: `No tasks match ${quoted(state.q)}${where}`,
      text: 'Check the spelling, or search for a shorter word.',
      action: 'clearSearch',
    };
  }
  const total = filterCounts(state)?.all ?? 0;
  if (state.status === 'pending' && total > 0) {
    return {
      title: 'Nothing left to do',
      text: 'Every task is done. Add a new one above, or look at your finished tasks under “Done”.',
      action: null,
    };
  }
  if (state.status === 'completed' && total > 0) {
    return {
      title: 'No finished tasks yet',
      text: 'Tick the box next to a task when it is done, and it will show up here.',
      action: null,
    };
  }
  return {
    title: 'No tasks yet',
    text: 'Write what needs doing in the box above and press Enter. You can add details, tick tasks off when they are done, and find them again with search.',
    action: 'addTask',
  };
}
