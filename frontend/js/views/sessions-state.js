// The rules behind the account screen's list of sessions (the devices a
// person is logged in on): the order they are shown in, what each says about
// itself, and where focus goes when one is signed out.
//
// No DOM and no network here, so node's test runner imports this module as it
// is (tests/frontend).

const time = (iso) => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
};

/** The sessions in the order shown: this device first, then the most recently used. */
export function orderSessions(sessions) {
  return [...sessions].sort((a, b) => Number(b.current) - Number(a.current)
    || time(b.last_used_at) - time(a.last_used_at)
    || String(a.id).localeCompare(String(b.id)));
}

/** Which icon suits a device label ("Safari on iPhone" → "phone", "Firefox on Windows" → "computer"). */
export function deviceKind(label) {
  return /\b(iPhone|iPad|Android)\b/.test(label) ? 'phone' : 'computer';
}

const phrase = (words, at) => (at ? `${words} ${at}` : '');

/**
 * The line under a device's name: when it was last used (this device: now)
 * and when it logged in. `when` turns an RFC 3339 time into words
 * ("today, 14:05"); a time it cannot read is left out.
 */
export function sessionMeta(session, when) {
  const used = session.current ? 'Active now' : phrase('Last active', when(session.last_used_at));
  return [used, phrase('logged in', when(session.created_at))].filter(Boolean).join(' · ');
}

/**
 * Where focus goes after the session `removedId` was signed out: the id of
 * the session that took its place in the list (`before` and `after` are the
 * ids of the sessions that can be signed out, as shown before and after),
 * else the one above it, else null when none is left.
 */
export function focusAfterRemoval(before, after, removedId) {
  const index = before.indexOf(removedId);
  if (index < 0) return after[0] ?? null;
  const below = before.slice(index + 1);
  const above = before.slice(0, index).reverse();
  return [...below, ...above].find((id) => after.includes(id)) ?? null;
}
