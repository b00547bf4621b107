// The API client's session rules (frontend/js/api.js) against a scripted
// server: `fetch` is replaced by a function that gives the scripted answers in
// turn and records what was asked. Each test loads its own copy of the module,
// so no test sees another's token. Run with `node --test tests/frontend/` from
// the repository root.

import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';

const USER = { id: 'u-1', email: 'ada@example.com', name: 'Ada', created_at: '2024-03-01T10:00:00Z' };
const realFetch = globalThis.fetch;
let copies = 0;

/** A fresh copy of api.js: no token, no user. */
function freshClient() {
  copies += 1;
  return import(new URL(`../../frontend/js/api.js?copy=${copies}`, import.meta.url));
}

const json = (status, body, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const tokens = (token) => json(200, { access_token: token, token_type: 'bearer', expires_in: 900, user: USER });
const refused = (code, { status = 401, headers = {} } = {}) => json(status, { detail: `refused: ${code}`, code }, headers);
const EXPIRED = () => refused('TOKEN_EXPIRED', { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });

/**
 * Makes fetch give `answers` (functions making a Response) in turn; gives the
 * list of calls it receives: "METHOD path", with `auth`, the bearer token sent.
 */
function serve(...answers) {
  const calls = [];
  globalThis.fetch = async (path, init) => {
    calls.push({ call: `${init.method} ${path}`, auth: init.headers.Authorization ?? null });
    const answer = answers.shift();
    return answer ? answer() : json(599, { detail: 'the test did not expect this call' });
  };
  return calls;
}

/**
 * A fresh copy of api.js, logged in with the access token "t-1". Gives
 * { api, heard }: `heard` collects the reasons of the session events after.
 */
async function loggedInClient() {
  const api = await freshClient();
  serve(() => tokens('t-1'));
  await api.login({ email: USER.email, password: 'irrelevant-here' });
  const heard = [];
  api.onSessionChange(({ reason }) => heard.push(reason));
  return { api, heard };
}

const REFRESH = 'POST /api/auth/refresh';
const said = (calls) => calls.map((c) => c.call);

afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('silent refresh and REFRESH_STALE', () => {
  test('a refresh answered REFRESH_STALE is asked once more, and the session goes on', async () => {
    const api = await freshClient();
    const calls = serve(() => refused('REFRESH_STALE'), () => tokens('t-new'));
    assert.deepEqual(await api.restoreSession(), USER);
    assert.deepEqual(said(calls), [REFRESH, REFRESH]);
  });

  test('REFRESH_STALE twice in a row is no session: not asked a third time', async () => {
    const api = await freshClient();
    const calls = serve(() => refused('REFRESH_STALE'), () => refused('REFRESH_STALE'), () => tokens('t-late'));
    assert.equal(await api.restoreSession(), null);
    assert.deepEqual(said(calls), [REFRESH, REFRESH]);
  });

  test('REFRESH_REUSED is not asked again', async () => {
    const api = await freshClient();
    const calls = serve(() => refused('REFRESH_REUSED'), () => tokens('t-never'));
    assert.equal(await api.restoreSession(), null);
    assert.deepEqual(said(calls), [REFRESH]);
  });

  test('a call refused for an expired token is repeated with the token of the retried refresh', async () => {
    const { api, heard } = await loggedInClient();

    const calls = serve(EXPIRED, () => refused('REFRESH_STALE'), () => tokens('t-2'), () => json(200, []));
    assert.deepEqual(await api.listSessions(), []);
    assert.deepEqual(said(calls), ['GET /api/auth/sessions', REFRESH, REFRESH, 'GET /api/auth/sessions']);
    assert.equal(calls[0].auth, 'Bearer t-1');
    assert.equal(calls[3].auth, 'Bearer t-2');
    assert.deepEqual(heard, [], 'the person notices nothing');
  });

  test('a stale refresh followed by REFRESH_REUSED ends the session and says so', async () => {
    const { api, heard } = await loggedInClient();

    serve(EXPIRED, () => refused('REFRESH_STALE'), () => refused('REFRESH_REUSED'));
    await assert.rejects(api.listSessions(), { name: 'ApiError', status: 401 });
    assert.deepEqual(heard, ['expired']);
    assert.equal(api.user(), null);
  });
});

describe('too many attempts', () => {
  test('the per-account throttle says it is about wrong passwords, and when to try again', async () => {
    const api = await freshClient();
    serve(() => refused('TOO_MANY_ATTEMPTS', { status: 429, headers: { 'Retry-After': '600' } }));
    await assert.rejects(api.login({ email: USER.email, password: 'wrong-again' }), (error) => {
      assert.equal(error.status, 429);
      assert.equal(error.retryAfter, 600);
      assert.match(error.message, /^Too many wrong passwords for this account\. Please try again in 10 minutes \(at .+\)\.$/);
      return true;
    });
  });

  test("nginx's per-address limit says when to try again", async () => {
    const api = await freshClient();
    serve(() => refused('RATE_LIMITED', { status: 429, headers: { 'Retry-After': '42' } }));
    await assert.rejects(api.login({ email: USER.email, password: 'whatever' }),
      { status: 429, message: 'Too many attempts. Please try again in 42 seconds.' });
  });

  test('a throttled password change is refused without ending the session', async () => {
    const { api } = await loggedInClient();
    const calls = serve(() => refused('TOO_MANY_ATTEMPTS', { status: 429, headers: { 'Retry-After': '30' } }));
    await assert.rejects(api.changePassword({ currentPassword: 'wrong', newPassword: 'Another-long-one' }),
      { status: 429, message: 'Too many wrong passwords for this account. Please try again in 30 seconds.' });
    assert.deepEqual(said(calls), ['PUT /api/auth/password'], 'no refresh: the token was fine');
    assert.deepEqual(api.user(), USER);
  });
});

describe('sessions', () => {
  test('another device is signed out by its id, in the path', async () => {
    const { api } = await loggedInClient();
    const calls = serve(() => json(200, { message: 'Session ended' }));
    await api.endOtherSession('6f1c0c1e-2a4b-4c3d-9e8f-0a1b2c3d4e5f');
    assert.deepEqual(said(calls), ['DELETE /api/auth/sessions/6f1c0c1e-2a4b-4c3d-9e8f-0a1b2c3d4e5f']);
    assert.equal(calls[0].auth, 'Bearer t-1');
  });

  test('a list that is not a list is an empty one', async () => {
    const api = await freshClient();
    serve(() => tokens('t-1'), () => json(200, { unexpected: true }));
    assert.deepEqual(await api.listSessions(), []);
  });
});
