// The API client: the only module that knows about tokens.
//
// - The access token lives in this module's memory and nowhere else: not in
//   localStorage or sessionStorage, not in a URL, never logged.
// - The refresh token is an HttpOnly cookie scoped to /api/auth that this code
//   can neither read nor write; POST /api/auth/refresh trades it for a new
//   access token (and the server rotates the cookie).
// - Every call carries `Authorization: Bearer …`. When the token is about to
//   expire, or the server answers 401, the client refreshes once and retries
//   the call once. When the refresh is refused, the session is over: the
//   client forgets the token and tells its listeners ("session" event with
//   reason "expired"), and the app sends the person to the login screen.
// - The server rotates the refresh cookie on every refresh. A refresh that
//   presents the cookie another request has just rotated gets 401
//   REFRESH_STALE (nothing revoked): the browser has the newer cookie by
//   then, so the client asks once more. REFRESH_REUSED, and any other 401,
//   ends the session.

const AUTH = '/api/auth';
// How long to wait before repeating a refresh answered REFRESH_STALE: the
// answer that carries the newer cookie may still be on its way to the browser.
const STALE_RETRY_MS = 300;

let accessToken = null; // string | null — memory only
let renewAt = 0; // ms since epoch after which we refresh before calling
let currentUser = null; // { id, email, name, created_at } | null
let refreshing = null; // the one refresh in flight, shared by all callers

const events = new EventTarget();

/** An error answer from the API (or no answer at all: status 0). */
export class ApiError extends Error {
  constructor(status, message, { code = null, fields = {}, retryAfter = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields; // { fieldName: message } from a 422's detail list
    this.retryAfter = retryAfter; // seconds, from Retry-After (429, 503)
  }
}

/** The signed-in user, or null. */
export function user() {
  return currentUser;
}

/**
 * Listen for session changes. The listener gets { user, reason }, reason being
 * one of "login", "refresh", "logout", "expired".
 */
export function onSessionChange(listener) {
  const handler = (e) => listener(e.detail);
  events.addEventListener('session', handler);
  return () => events.removeEventListener('session', handler);
}

function startSession(answer, reason) {
  const changedUser = !currentUser || currentUser.id !== answer.user?.id;
  accessToken = answer.access_token;
  const ttl = Number(answer.expires_in) > 0 ? Number(answer.expires_in) : 3600;
  // Renew a little before the server would refuse the token (10 %, at most 60 s).
  renewAt = Date.now() + (ttl - Math.min(60, ttl * 0.1)) * 1000;
  currentUser = answer.user ?? currentUser;
  if (changedUser || reason !== 'refresh') {
    events.dispatchEvent(new CustomEvent('session', { detail: { user: currentUser, reason } }));
  }
}

function endSession(reason) {
  const hadSession = accessToken !== null || currentUser !== null;
  accessToken = null;
  renewAt = 0;
  currentUser = null;
  if (hadSession) {
    events.dispatchEvent(new CustomEvent('session', { detail: { user: null, reason } }));
  }
}

// ---------------------------------------------------------------------------
// Transport

function retryAfterSeconds(res) {
  const value = res.headers.get('Retry-After');
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const when = Date.parse(value);
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - Date.now()) / 1000));
}

function fieldName(loc) {
  // FastAPI's loc is ["body", "<field>"] (sometimes with more path after it).
  if (!Array.isArray(loc)) return null;
  const rest = loc[0] === 'body' || loc[0] === 'query' ? loc.slice(1) : loc;
  return rest.length ? String(rest[0]) : null;
}

function waitPhrase(seconds) {
  if (seconds == null) return 'in a moment';
  if (seconds <= 1) return 'in a second';
  if (seconds < 90) return `in ${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  const at = new Date(Date.now() + seconds * 1000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
  return `in ${minutes} minutes (at ${at})`;
}

/** Turns a failed response into an ApiError with a message a person can act on. */
function toError(res, body) {
  const status = res.status;
  const code = body && typeof body.code === 'string' ? body.code : null;
  const detail = body ? body.detail : undefined;
  const retryAfter = retryAfterSeconds(res);

  if (status === 422 && Array.isArray(detail)) {
    const fields = {};
    const loose = [];
    for (const item of detail) {
      const msg = item && typeof item.msg === 'string' ? item.msg : 'This value is not valid.';
      const name = fieldName(item && item.loc);
      if (name && !(name in fields)) fields[name] = msg;
      else if (!name) loose.push(msg);
    }
    const message = loose.length ? loose.join(' ') : 'Please correct the highlighted fields.';
    return new ApiError(status, message, { code, fields, retryAfter });
  }

  let message = typeof detail === 'string' && detail.trim() ? detail.trim() : null;
  if (code === 'TOO_MANY_ATTEMPTS') {
    // The per-account throttle: the same answer whether or not the account exists.
    message = `Too many wrong passwords for this account. Please try again ${waitPhrase(retryAfter)}.`;
  } else if (status === 429) {
    message = `Too many attempts. Please try again ${waitPhrase(retryAfter)}.`;
  } else if (status === 503) {
    message = `The service is temporarily unavailable. Please try again ${waitPhrase(retryAfter)}.`;
  } else if (status === 502 || status === 504) {
    message = 'The server did not answer in time. Please try again in a moment.';
  } else if (status === 413) {
    message = message ?? 'That is too much text to save. Please shorten it.';
  } else if (!message) {
    message = status >= 500
      ? `Something went wrong on the server (error ${status}). Please try again in a moment.`
      : `The request failed (error ${status}).`;
  }
  return new ApiError(status, message, { code, retryAfter });
}

async function send(method, path, { body, auth = true, signal, keepalive = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth && accessToken) headers.Authorization = `Bearer ${accessToken}`;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
      keepalive,
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  return { res, data };
}

const pause = (ms) => new Promise((resolve) => {
  setTimeout(resolve, ms);
});

/**
 * Trades the refresh cookie for a new access token. Resolves true when a new
 * token was issued, false when the server refused (no session), and throws an
 * ApiError when the server could not be asked (network, 5xx): that says
 * nothing about the session, so it stays as it is.
 * Concurrent callers share one request; tabs take turns (Web Locks), so two
 * tabs never present the same cookie at once while it is being rotated. A
 * REFRESH_STALE answer (another request rotated the cookie a moment ago) is
 * asked again once, with the cookie the browser holds by then.
 */
function refresh() {
  if (!refreshing) {
    const ask = () => send('POST', `${AUTH}/refresh`, { auth: false });
    const run = async () => {
      let { res, data } = await ask();
      if (res.status === 401 && data?.code === 'REFRESH_STALE') {
        await pause(STALE_RETRY_MS);
        ({ res, data } = await ask());
      }
      if (res.ok && data && typeof data.access_token === 'string') {
        startSession(data, 'refresh');
        return true;
      }
      if (res.status === 401 || res.status === 403) return false;
      throw toError(res, data);
    };
    const locked = globalThis.navigator && navigator.locks
      ? navigator.locks.request('todo-auth-refresh', run)
      : run();
    refreshing = locked.finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

function sessionOver() {
  endSession('expired');
  return new ApiError(401, 'Your session has ended. Please log in again.', { code: 'UNAUTHORIZED' });
}

/**
 * One authenticated call: attaches the token, refreshes first when the token
 * is missing or about to expire, and on a 401 refreshes once and retries once.
 * `target` is the path, or a function giving it once the session is known.
 * `isTokenProblem` tells a 401 about the token from a 401 about something
 * else (a wrong current password).
 */
async function authed(method, target, { body, signal, keepalive, isTokenProblem = () => true } = {}) {
  let refreshed = false;
  if (!accessToken || Date.now() >= renewAt) {
    if (!(await refresh())) throw sessionOver();
    refreshed = true;
  }
  // The path may depend on the user, who is known only after a refresh.
  const path = typeof target === 'function' ? target() : target;
  const sentWith = accessToken;
  let { res, data } = await send(method, path, { body, signal, keepalive });
  if (res.status === 401 && isTokenProblem(res, data)) {
    // Refresh once, unless another call renewed the token while this one was out.
    const renewedMeanwhile = accessToken !== null && accessToken !== sentWith;
    if (!renewedMeanwhile && (refreshed || !(await refresh()))) throw sessionOver();
    ({ res, data } = await send(method, path, { body, signal, keepalive }));
    if (res.status === 401 && isTokenProblem(res, data)) throw sessionOver();
  }
  if (!res.ok) throw toError(res, data);
  return { data, res };
}

/** A call that needs no token (register, login). */
async function open(method, path, body) {
  const { res, data } = await send(method, path, { body, auth: false });
  if (!res.ok) throw toError(res, data);
  return data;
}

// ---------------------------------------------------------------------------
// Accounts

/** On page load: restores the session from the refresh cookie. Gives the user or null. */
export async function restoreSession() {
  if (currentUser) return currentUser;
  return (await refresh()) ? currentUser : null;
}

/** Creates an account and signs in. */
export async function register({ email, password, name }) {
  const body = { email, password };
  if (name) body.name = name;
  startSession(await open('POST', `${AUTH}/register`, body), 'login');
  return currentUser;
}

/** Signs in with email and password. */
export async function login({ email, password }) {
  startSession(await open('POST', `${AUTH}/login`, { email, password }), 'login');
  return currentUser;
}

/** Signs out here, or on every device with { all: true }. Never fails for the person. */
export async function logout({ all = false } = {}) {
  try {
    if (all) {
      await authed('POST', `${AUTH}/logout`, { body: { all: true } });
    } else {
      await send('POST', `${AUTH}/logout`, { body: {} });
    }
  } finally {
    endSession('logout');
  }
}

/** Changes the password; the server signs out every other device. */
export async function changePassword({ currentPassword, newPassword }) {
  const { data } = await authed('PUT', `${AUTH}/password`, {
    body: { current_password: currentPassword, new_password: newPassword },
    // A wrong current password is also a 401, but not a token problem.
    isTokenProblem: (res, body) => body?.code !== 'INVALID_CREDENTIALS' &&
      (res.headers.has('WWW-Authenticate') || body?.code === 'UNAUTHORIZED' || body?.code === 'TOKEN_EXPIRED'),
  });
  startSession(data, 'refresh');
  return currentUser;
}

/**
 * The person's live sessions, one a device they are logged in on:
 * [{ id, created_at, last_used_at, device, current }].
 */
export async function listSessions() {
  const { data } = await authed('GET', `${AUTH}/sessions`);
  return Array.isArray(data) ? data : [];
}

/** Ends one session (logs another device out); 404 when it had already ended. */
export async function endOtherSession(id) {
  await authed('DELETE', `${AUTH}/sessions/${encodeURIComponent(id)}`);
}

// ---------------------------------------------------------------------------
// Tasks

function tasksPath(id = '', suffix = '') {
  let path = `/api/${encodeURIComponent(currentUser.id)}/tasks`;
  if (id) path += `/${encodeURIComponent(id)}`;
  return path + suffix;
}

/**
 * One page of tasks. Gives { tasks, total }.
 * query: { status, sort, order, q, limit, offset }.
 */
export async function listTasks(query = {}, { signal } = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  const { data, res } = await authed('GET', () => tasksPath() + (qs ? `?${qs}` : ''), { signal });
  const header = res.headers.get('X-Total-Count');
  const tasks = Array.isArray(data) ? data : [];
  const total = header !== null && /^\d+$/.test(header) ? Number(header) : null;
  return { tasks, total };
}

/** How many tasks match, without fetching them. */
export async function countTasks(query = {}, options = {}) {
  const { tasks, total } = await listTasks({ ...query, limit: 1, offset: 0 }, options);
  return total ?? tasks.length;
}

/** Creates a task. */
export async function createTask({ title, description }) {
  const { data } = await authed('POST', () => tasksPath(), { body: { title, description: description || null } });
  return data;
}

/** Changes a task's title, description or completion. */
export async function updateTask(id, changes) {
  const { data } = await authed('PUT', () => tasksPath(id), { body: changes });
  return data;
}

/** Flips a task between done and not done. */
export async function toggleTask(id) {
  const { data } = await authed('PATCH', () => tasksPath(id, '/complete'));
  return data;
}

/** Deletes a task. `keepalive` lets it finish while the page unloads. */
export async function deleteTask(id, { keepalive = false } = {}) {
  await authed('DELETE', () => tasksPath(id), { keepalive });
}
