// The task dashboard's rules (frontend/js/views/tasks-state.js), without a
// browser: one case per rule. Run with `node --test tests/frontend/` from the
// repository root.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../../frontend/js/views/tasks-state.js';

let serial = 0;

/** A task as the server sends it; `fields` override the defaults. */
function task(fields = {}) {
  serial += 1;
  return {
    id: `id-${serial}`, title: `Task ${serial}`, description: null, completed: false,
    created_at: '2024-03-01T10:00:00Z', updated_at: '2024-03-01T10:00:00Z', ...fields,
  };
}

/** A ready state holding `tasks`, with the counts that go with them unless given. */
function ready(tasks = [], { counts, ...fields } = {}) {
  const state = S.initialState(new URLSearchParams());
  state.tasks = tasks;
  state.counts = counts ?? {
    pending: tasks.filter((t) => !t.completed).length,
    completed: tasks.filter((t) => t.completed).length,
  };
  state.phase = 'ready';
  return Object.assign(state, fields);
}

const stateAt = (query) => S.initialState(new URLSearchParams(query));
const waitingFor = (...tasks) => new Map(tasks.map((t, index) => [t.id, { task: t, index }]));

describe('URL ↔ state', () => {
  test('an address without parameters gives all tasks, newest first, no search, loading', () => {
    const state = stateAt('');
    assert.equal(state.status, 'all');
    assert.equal(state.sort, 'created-desc');
    assert.equal(state.q, '');
    assert.equal(state.phase, 'loading');
    assert.deepEqual(state.tasks, []);
    assert.equal(state.counts, null);
  });

  test('known filter, sort and search are taken from the address', () => {
    const state = stateAt('status=pending&sort=title-asc&q=milk');
    assert.deepEqual([state.status, state.sort, state.q], ['pending', 'title-asc', 'milk']);
  });

  test('an unknown filter or sort falls back to the default', () => {
    const state = stateAt('status=urgent&sort=random');
    assert.deepEqual([state.status, state.sort], ['all', 'created-desc']);
  });

  test('a search from the address is cut to 200 characters', () => {
    assert.equal(stateAt(`q=${'x'.repeat(300)}`).q.length, 200);
  });

  test('the address leaves out what is the default', () => {
    assert.equal(S.addressOf(stateAt('')), '#/tasks');
    assert.equal(S.addressOf(stateAt('status=all&sort=created-desc&q=')), '#/tasks');
  });

  test('the address keeps filter, sort and search, encoded', () => {
    const state = stateAt('');
    Object.assign(state, { status: 'completed', sort: 'updated-asc', q: 'oat & milk' });
    assert.equal(S.addressOf(state), '#/tasks?status=completed&sort=updated-asc&q=oat+%26+milk');
  });

  test('every filter and sort survives the round trip through the address', () => {
    for (const { value: status } of S.FILTERS) {
      for (const { value: sort } of S.SORTS) {
        const state = stateAt('');
        Object.assign(state, { status, sort, q: 'Tea?' });
        const again = stateAt(S.addressOf(state).split('?')[1] ?? '');
        assert.deepEqual([again.status, again.sort, again.q], [status, sort, 'Tea?']);
      }
    }
  });

  test('the list query splits the sort into field and order, and leaves out an empty search', () => {
    const state = stateAt('sort=title-desc');
    assert.deepEqual(S.listQuery(state, { limit: 20, offset: 0 }),
      { status: 'all', sort: 'title', order: 'desc', q: undefined, limit: 20, offset: 0 });
    assert.equal(S.listQuery(stateAt('q=milk')).q, 'milk');
  });
});

describe('filters and counts', () => {
  test('"all" shows every task, "pending" the undone, "completed" the done', () => {
    const todo = task();
    const done = task({ completed: true });
    const pick = (status) => [todo, done].filter((t) => S.matchesStatus({ status }, t));
    assert.deepEqual(pick('all'), [todo, done]);
    assert.deepEqual(pick('pending'), [todo]);
    assert.deepEqual(pick('completed'), [done]);
  });

  test('search is case-insensitive and looks in the title and the details', () => {
    const t = task({ title: 'Buy Oat milk', description: 'Two LITRES' });
    assert.ok(S.matchesSearch({ q: 'oat' }, t));
    assert.ok(S.matchesSearch({ q: 'litres' }, t));
    assert.ok(!S.matchesSearch({ q: 'bread' }, t));
    assert.ok(S.matchesSearch({ q: '' }, t), 'no search matches everything');
    assert.ok(!S.matchesSearch({ q: 'x' }, task({ description: null })), 'no details is no match');
  });

  test('before the counts are known there is no total and nothing to load', () => {
    const state = stateAt('');
    assert.equal(S.filterCounts(state), null);
    assert.equal(S.viewTotal(state), null);
    assert.equal(S.moreToLoad(state).more, false);
  });

  test('the view total is the count of the chosen filter', () => {
    const state = ready([], { counts: { pending: 3, completed: 2 } });
    assert.deepEqual(S.filterCounts(state), { all: 5, pending: 3, completed: 2 });
    for (const [status, total] of [['all', 5], ['pending', 3], ['completed', 2]]) {
      state.status = status;
      assert.equal(S.viewTotal(state), total);
    }
  });

  test('tasks still being created and tasks of another filter are not counted as loaded', () => {
    const state = ready([task({ temp: true }), task(), task({ completed: true })], { status: 'pending' });
    assert.equal(S.loadedInView(state), 1);
  });

  test('"Load more" shows when the server holds more of the view than is loaded, and only once ready', () => {
    const state = ready([task(), task()], { counts: { pending: 5, completed: 0 } });
    assert.deepEqual(S.moreToLoad(state), { more: true, shown: 2, total: 5 });
    state.phase = 'loading';
    assert.equal(S.moreToLoad(state).more, false);
    state.phase = 'ready';
    state.counts.pending = 2;
    assert.equal(S.moreToLoad(state).more, false);
  });

  test('the toolbar rests only while there is no task, no search and no filter', () => {
    assert.equal(S.toolbarIdle(stateAt('')), false, 'not before the counts are known');
    assert.equal(S.toolbarIdle(ready()), true);
    assert.equal(S.toolbarIdle(ready([], { q: 'milk' })), false);
    assert.equal(S.toolbarIdle(ready([], { status: 'completed' })), false);
    assert.equal(S.toolbarIdle(ready([task()])), false);
  });
});

describe('loading', () => {
  test('a new load marks the list stale and closes the editor', () => {
    const state = ready([task()], { editing: 'id-x', editDraft: { title: 'x' } });
    S.startLoad(state);
    assert.deepEqual([state.phase, state.editing, state.editDraft], ['loading', null, null]);
    assert.equal(state.tasks.length, 1, 'what was shown stays until the answer comes');
  });

  test('a loaded page leaves out tasks waiting to be deleted, and the counts do too when they match the search', () => {
    const keep = task({ title: 'Keep' });
    const goingMatch = task({ title: 'Milk' });
    const goingOther = task({ title: 'Bread', completed: true });
    const state = stateAt('q=milk');
    state.itemErrors.set(keep.id, 'old');
    S.pageLoaded(state, { tasks: [keep, goingMatch], pending: 2, completed: 1 }, waitingFor(goingMatch, goingOther));
    assert.deepEqual(state.tasks, [keep]);
    assert.deepEqual(state.counts, { pending: 1, completed: 1 });
    assert.equal(state.phase, 'ready');
    assert.equal(state.itemErrors.size, 0, 'old errors go with the old list');
  });

  test('a failed load empties the list and keeps the reason', () => {
    const state = ready([task()]);
    S.loadFailed(state, 'The database is unreachable.');
    assert.deepEqual([state.phase, state.error, state.tasks], ['error', 'The database is unreachable.', []]);
  });

  test('the next page starts after the loaded tasks and those of the view the server still has', () => {
    const waiting = waitingFor(task(), task({ completed: true }));
    const state = ready([task(), task({ temp: true })], { status: 'pending' });
    assert.equal(S.nextOffset(state, waiting), 2);
  });

  test('a further page skips tasks already shown or waiting to be deleted', () => {
    const shown = task();
    const going = task();
    const fresh = task();
    const state = ready([shown]);
    assert.deepEqual(S.morePageLoaded(state, [shown, going, fresh], waitingFor(going)), [fresh]);
    assert.deepEqual(state.tasks, [shown, fresh]);
  });
});

describe('optimistic add', () => {
  test('a draft task is trimmed, marked temporary, and has no empty details', () => {
    const draft = S.draftTask('temp-1', { title: '  Milk ', description: '   ' }, '2024-03-01T10:00:00Z');
    assert.deepEqual(draft, {
      id: 'temp-1', temp: true, title: 'Milk', description: null, completed: false,
      created_at: '2024-03-01T10:00:00Z', updated_at: '2024-03-01T10:00:00Z',
    });
  });

  test('a new task shows at the top and counts at once', () => {
    const old = task();
    const state = ready([old]);
    const draft = S.draftTask('temp-1', { title: 'New', description: '' }, 'now');
    assert.equal(S.applyAdd(state, draft), true);
    assert.deepEqual(state.tasks, [draft, old]);
    assert.deepEqual(state.counts, { pending: 2, completed: 0 });
  });

  test('a new task hidden by the filter is counted but not shown', () => {
    const state = ready([], { status: 'completed' });
    const draft = S.draftTask('temp-1', { title: 'New', description: '' }, 'now');
    assert.equal(S.applyAdd(state, draft), false);
    assert.deepEqual(state.tasks, []);
    assert.deepEqual(state.counts, { pending: 1, completed: 0 });
  });

  test('a new task outside the search is neither shown nor counted', () => {
    const state = ready([], { q: 'milk' });
    assert.equal(S.applyAdd(state, S.draftTask('temp-1', { title: 'Bread', description: '' }, 'now')), false);
    assert.deepEqual(state.counts, { pending: 0, completed: 0 });
  });

  test('a first task ends the loading state', () => {
    const state = stateAt('');
    S.applyAdd(state, S.draftTask('temp-1', { title: 'New', description: '' }, 'now'));
    assert.equal(state.phase, 'ready');
  });

  test('the created task takes the draft\'s place', () => {
    const other = task();
    const state = ready([other]);
    const draft = S.draftTask('temp-1', { title: 'New', description: '' }, 'now');
    S.applyAdd(state, draft);
    const created = task({ title: 'New' });
    S.confirmAdd(state, draft, created);
    assert.deepEqual(state.tasks, [created, other]);
  });

  test('a refused task disappears and the counts are as before', () => {
    const other = task();
    const state = ready([other]);
    const draft = S.draftTask('temp-1', { title: 'New', description: '' }, 'now');
    S.applyAdd(state, draft);
    S.rollBackAdd(state, draft);
    assert.deepEqual(state.tasks, [other]);
    assert.deepEqual(state.counts, { pending: 1, completed: 0 });
  });
});

describe('optimistic toggle', () => {
  test('a toggle flips the task and moves it between the counts at once', () => {
    const t = task();
    const state = ready([t]);
    state.itemErrors.set(t.id, 'old');
    assert.equal(S.applyToggle(state, t.id), t);
    assert.equal(t.completed, true);
    assert.deepEqual(state.counts, { pending: 0, completed: 1 });
    assert.equal(state.itemErrors.has(t.id), false, 'an old error goes');
  });

  test('a toggle of a task not in the list does nothing', () => {
    const state = ready([task()]);
    assert.equal(S.applyToggle(state, 'elsewhere'), null);
    assert.equal(state.inflight.size, 0);
  });

  test('only the answer to the last toggle in flight counts', () => {
    const t = task();
    const state = ready([t]);
    S.applyToggle(state, t.id);
    S.applyToggle(state, t.id);
    assert.equal(S.toggleSettled(state, t.id), false);
    assert.equal(S.toggleSettled(state, t.id), true);
  });

  test('a refused toggle undoes just its own flip', () => {
    const t = task();
    const state = ready([t]);
    S.applyToggle(state, t.id);
    S.applyToggle(state, t.id);
    S.rollBackToggle(state, t); // the second was refused
    assert.equal(t.completed, true);
    assert.deepEqual(state.counts, { pending: 0, completed: 1 });
  });
});

describe('optimistic edit', () => {
  test('opening the editor clears the task\'s error and any old draft', () => {
    const t = task();
    const state = ready([t], { editDraft: { title: 'old' } });
    state.itemErrors.set(t.id, 'old');
    S.startEditing(state, t.id);
    assert.deepEqual([state.editing, state.editDraft, state.itemErrors.size], [t.id, null, 0]);
    S.stopEditing(state);
    assert.deepEqual([state.editing, state.editDraft], [null, null]);
  });

  test('an edit that changes nothing (once trimmed) is no change', () => {
    const t = task({ title: 'Milk', description: null });
    assert.equal(S.editChanges(t, { title: ' Milk ', description: '  ' }), null);
    assert.equal(S.editChanges(task({ title: 'Milk', description: '2 l' }), { title: 'Milk', description: '2 l ' }), null);
  });

  test('an edit gives the trimmed title and details, empty details as null', () => {
    const t = task({ title: 'Milk', description: 'old' });
    assert.deepEqual(S.editChanges(t, { title: ' Oat milk ', description: '' }), { title: 'Oat milk', description: null });
  });

  test('an edit shows at once, closes the editor, and can be rolled back', () => {
    const t = task({ title: 'Milk' });
    const original = { ...t };
    const state = ready([t], { editing: t.id });
    const before = S.applyEdit(state, t, { title: 'Oat milk', description: null }, '2024-03-02T00:00:00Z');
    assert.equal(t.title, 'Oat milk');
    assert.equal(t.updated_at, '2024-03-02T00:00:00Z');
    assert.equal(state.editing, null);
    S.rollBackEdit(t, before);
    assert.deepEqual(t, original);
  });

  test('an edit the server refuses reopens with what was typed and the reasons', () => {
    const state = ready([]);
    S.reopenEdit(state, 'id-1', { title: 'Bad', description: null }, { title: 'Too long' });
    assert.equal(state.editing, 'id-1');
    assert.deepEqual(state.editDraft, { title: 'Bad', description: '', fields: { title: 'Too long' } });
  });
});

describe('optimistic delete', () => {
  test('a deleted task leaves the list and the counts at once', () => {
    const [a, b, c] = [task(), task({ completed: true }), task()];
    const state = ready([a, b, c]);
    state.itemErrors.set(b.id, 'old');
    assert.deepEqual(S.applyRemove(state, b.id), { task: b, index: 1 });
    assert.deepEqual(state.tasks, [a, c]);
    assert.deepEqual(state.counts, { pending: 2, completed: 0 });
    assert.equal(state.itemErrors.size, 0);
    assert.equal(S.applyRemove(state, 'elsewhere'), null);
  });

  test('a restored task goes back to its place, or last when the list has shrunk', () => {
    const [a, b, c] = [task(), task(), task()];
    const state = ready([a, b, c]);
    const removed = S.applyRemove(state, b.id);
    S.restoreTask(state, removed);
    assert.deepEqual(state.tasks, [a, b, c]);
    assert.deepEqual(state.counts, { pending: 3, completed: 0 });

    const late = S.applyRemove(state, c.id);
    state.tasks = [a];
    S.restoreTask(state, late);
    assert.deepEqual(state.tasks, [a, c]);
  });

  test('undo into a list that failed to load shows the task', () => {
    const t = task();
    const state = ready([t]);
    const removed = S.applyRemove(state, t.id);
    S.loadFailed(state, 'down');
    S.undoRemove(state, removed);
    assert.equal(state.phase, 'ready');
    assert.deepEqual(state.tasks, [t]);
  });

  test('undo while other tasks are still loading leaves the list loading', () => {
    const [a, b] = [task(), task()];
    const state = ready([a, b]);
    const removed = S.applyRemove(state, a.id);
    S.startLoad(state);
    S.undoRemove(state, removed);
    assert.equal(state.phase, 'loading');
  });

  test('a task the server no longer has leaves the list and the counts', () => {
    const [a, b] = [task(), task({ completed: true })];
    const state = ready([a, b]);
    S.dropTask(state, b);
    assert.deepEqual(state.tasks, [a]);
    assert.deepEqual(state.counts, { pending: 1, completed: 0 });
  });

  test('after a deletion, focus goes to the task now in its place, else the one before, else none', () => {
    const [a, b] = [task(), task()];
    assert.equal(S.taskNear(ready([a, b]), 1), b);
    assert.equal(S.taskNear(ready([a, b]), 2), b);
    assert.equal(S.taskNear(ready([]), 0), undefined);
  });
});

describe('words', () => {
  test('a title is quoted, and cut with an ellipsis past 60 characters', () => {
    assert.equal(S.quoted('Milk'), '“Milk”');
    assert.equal(S.quoted('x'.repeat(60)), `“${'x'.repeat(60)}”`);
    assert.equal(S.quoted('x'.repeat(61)), `“${'x'.repeat(57)}…”`);
  });

  test('one is singular, anything else plural', () => {
    assert.equal(S.plural(1, 'task', 'tasks'), '1 task');
    assert.equal(S.plural(0, 'task', 'tasks'), '0 tasks');
    assert.equal(S.plural(2, 'task', 'tasks'), '2 tasks');
  });

  test('the summary says what is to do and done, all done, nothing yet, or what matches', () => {
    assert.equal(S.summaryText(stateAt('')), '', 'nothing before the counts are known');
    assert.equal(S.summaryText(ready([], { counts: { pending: 3, completed: 2 } })), '3 to do · 2 done');
    assert.equal(S.summaryText(ready([], { counts: { pending: 0, completed: 1 } })), 'All 1 task done. Nice work.');
    assert.equal(S.summaryText(ready([], { counts: { pending: 0, completed: 0 } })), 'Nothing here yet.');
    assert.equal(S.summaryText(ready([], { q: 'oat', counts: { pending: 1, completed: 0 } })), '1 task matches “oat”.');
  });

  test('after a new view loads, screen readers hear how many tasks it shows', () => {
    assert.equal(S.resultText(ready([], { status: 'pending', counts: { pending: 2, completed: 4 } })), 'Showing 2 tasks.');
    assert.equal(S.resultText(ready([], { q: 'oat', counts: { pending: 2, completed: 1 } })), '3 tasks match “oat”.');
  });

  test('an empty list says why, and offers what helps', () => {
    const empty = (fields) => S.emptyMessage(ready([], fields));
    assert.deepEqual(
      [empty({}).title, empty({}).action],
      ['No tasks yet', 'addTask']);
    assert.deepEqual(
      [empty({ q: 'zebra' }).title, empty({ q: 'zebra' }).action],
      ['No tasks match “zebra”', 'clearSearch']);
    assert.equal(empty({ q: 'zebra', status: 'pending' }).title, 'No tasks match “zebra” among to-do tasks');
    assert.equal(empty({ q: 'zebra', status: 'completed' }).title, 'No tasks match “zebra” among done tasks');
    const busy = { counts: { pending: 0, completed: 2 } };
    assert.deepEqual([empty({ ...busy, status: 'pending' }).title, empty({ ...busy, status: 'pending' }).action],
      ['Nothing left to do', null]);
    assert.deepEqual([empty({ ...busy, status: 'completed' }).title, empty({ ...busy, status: 'completed' }).action],
      ['No finished tasks yet', null]);
  });
});
