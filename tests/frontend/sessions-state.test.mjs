// The account screen's list of sessions (frontend/js/views/sessions-state.js),
// without a browser: one case per rule. Run with `node --test tests/frontend/`
// from the repository root.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../../frontend/js/views/sessions-state.js';

/** A session as the server lists it; `fields` override the defaults. */
function session(id, fields = {}) {
  return {
    id, device: 'Firefox on Linux', current: false,
    created_at: '2024-03-01T10:00:00.000000Z', last_used_at: '2024-03-01T10:00:00.000000Z', ...fields,
  };
}

const ids = (sessions) => sessions.map((s) => s.id);
// Shows the times as they came, so the words around them are what is tested.
const when = (iso) => `<${iso.slice(0, 10)}>`;

describe('order', () => {
  test('this device comes first, whenever it was last used', () => {
    const list = [
      session('a', { last_used_at: '2024-03-05T10:00:00Z' }),
      session('b', { current: true, last_used_at: '2024-03-01T10:00:00Z' }),
    ];
    assert.deepEqual(ids(S.orderSessions(list)), ['b', 'a']);
  });

  test('the other devices follow, the most recently used first', () => {
    const list = [
      session('old', { last_used_at: '2024-02-01T10:00:00Z' }),
      session('new', { last_used_at: '2024-03-09T08:00:00Z' }),
      session('mid', { last_used_at: '2024-03-01T10:00:00Z' }),
    ];
    assert.deepEqual(ids(S.orderSessions(list)), ['new', 'mid', 'old']);
  });

  test('devices last used at the same time keep a steady order (by id)', () => {
    assert.deepEqual(ids(S.orderSessions([session('b'), session('a')])), ['a', 'b']);
  });

  test('the list it was given is left as it was', () => {
    const list = [session('a'), session('b', { current: true })];
    S.orderSessions(list);
    assert.deepEqual(ids(list), ['a', 'b']);
  });
});

describe('what a device says about itself', () => {
  test('phones and tablets get the phone icon', () => {
    for (const label of ['Safari on iPhone', 'Safari on iPad', 'Chrome on Android']) {
      assert.equal(S.deviceKind(label), 'phone', label);
    }
  });

  test('everything else, unknown devices included, gets the computer icon', () => {
    for (const label of ['Firefox on Windows', 'Chrome on Linux', 'curl', 'Unknown device']) {
      assert.equal(S.deviceKind(label), 'computer', label);
    }
  });

  test('another device says when it was last active and when it logged in', () => {
    const other = session('a', { created_at: '2024-02-10T09:00:00Z', last_used_at: '2024-03-02T18:30:00Z' });
    assert.equal(S.sessionMeta(other, when), 'Last active <2024-03-02> · logged in <2024-02-10>');
  });

  test('this device is active now', () => {
    const here = session('a', { current: true, created_at: '2024-02-10T09:00:00Z' });
    assert.equal(S.sessionMeta(here, when), 'Active now · logged in <2024-02-10>');
  });

  test('a time that cannot be read is left out, not shown as nonsense', () => {
    const odd = session('a', { last_used_at: 'never' });
    assert.equal(S.sessionMeta(odd, (iso) => (iso === 'never' ? '' : when(iso))), 'logged in <2024-03-01>');
  });
});

describe('focus after signing a device out', () => {
  test('goes to the device that took its place', () => {
    assert.equal(S.focusAfterRemoval(['a', 'b', 'c'], ['a', 'c'], 'b'), 'c');
  });

  test('goes to the one above when the last one went', () => {
    assert.equal(S.focusAfterRemoval(['a', 'b', 'c'], ['a', 'b'], 'c'), 'b');
  });

  test('skips devices that are gone from the reloaded list too', () => {
    assert.equal(S.focusAfterRemoval(['a', 'b', 'c', 'd'], ['a'], 'b'), 'a');
  });

  test('is nowhere in the list when no other device is left', () => {
    assert.equal(S.focusAfterRemoval(['a'], [], 'a'), null);
  });

  test('goes to the first device when the removed one was not in the list before', () => {
    assert.equal(S.focusAfterRemoval(['a', 'b'], ['a', 'b'], 'x'), 'a');
  });
});
