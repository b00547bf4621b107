// Sessions: one person logged in from two browsers (two contexts, two
// cookie jars) sees both on the account screen and signs the other out; "Log
// out" in the header of the tasks screen; and the silent refresh meeting the
// server's REFRESH_STALE (retried) and REFRESH_REUSED (back to log in),
// answered by the real server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import {
  BASE_URL, launch, openPage, ready, register, login, uniqueEmail, strongPassword, failRequests,
} from './lib/harness.mjs';

const REFRESH_URL = `${BASE_URL}/api/auth/refresh`;
const isTasks = (url) => /^\/api\/[^/]+\/tasks$/.test(url.pathname);
const isRefresh = (r) => r.url() === REFRESH_URL;
// How the server refuses an access token that has expired.
const TOKEN_EXPIRED = {
  status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' }, detail: 'Token has expired', code: 'TOKEN_EXPIRED',
};

let browser;
let here; // { context, page, problems }: the browser the person is using
let there; // the same person in another browser
const person = { name: 'Lin', email: uniqueEmail('sessions'), password: strongPassword() };

before(async () => {
  browser = await launch();
  here = await openPage(browser);
  assert.equal((await register(here.page, person)).status(), 201);
  await here.page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
});

after(async () => {
  await browser?.close();
});

/** Opens the account screen from the header and waits for `count` devices. */
async function openAccount(page, count) {
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('.session').length === n, count);
}

const currentId = (page) => page.locator('.session--current').getAttribute('data-id');

test('the account screen lists both browsers, this one marked, only the other with "Sign out"', async () => {
  there = await openPage(browser);
  await there.page.goto(`${BASE_URL}/#/login`);
  await ready(there.page);
  assert.equal((await login(there.page, person)).status(), 200);
  await there.page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();

  await openAccount(here.page, 2);
  const current = here.page.locator('.session--current');
  assert.equal(await current.count(), 1);
  assert.match(await current.textContent(), /This device/);
  assert.match(await current.textContent(), /Active now · logged in today/);
  assert.equal(await current.getByRole('button').count(), 0, 'this device logs out from the header instead');
  const other = here.page.locator('.session:not(.session--current)');
  assert.match(await other.textContent(), /Last active today, .* · logged in today/);
  const device = await other.locator('.session__device').textContent();
  await other.getByRole('button', { name: `Sign out ${device}` }).waitFor();

  // The other browser sees the same two sessions, with itself marked.
  await openAccount(there.page, 2);
  assert.notEqual(await currentId(there.page), await currentId(here.page));
  const hereId = await currentId(here.page);
  assert.equal(await there.page.locator(`.session[data-id="${hereId}"]`).getByRole('button', { name: /^Sign out/ }).count(), 1);
});

test('a device that cannot be signed out says why, next to it', async () => {
  await failRequests(here.page, '**/api/auth/sessions/*', {
    status: 503, headers: { 'Retry-After': '5' }, detail: 'The database is unreachable', code: 'UNAVAILABLE',
  }, { times: 1 });
  const button = here.page.locator('.session:not(.session--current)').getByRole('button', { name: /^Sign out/ });
  await button.click();
  const message = here.page.locator('.session:not(.session--current)').getByRole('alert');
  await message.waitFor();
  assert.match(await message.textContent(), /could not sign out this device.*try again in 5 seconds/i);
  assert.ok(await button.evaluate((el) => el === document.activeElement), 'focus stays on the button');
  assert.equal(await here.page.locator('.session').count(), 2, 'both devices still listed');
});

test('signing the other browser out removes it here and sends it to log in at its next refresh', async () => {
  const other = here.page.locator('.session:not(.session--current)');
  const device = await other.locator('.session__device').textContent();
  const ended = here.page.waitForResponse((r) => r.request().method() === 'DELETE');
  await other.getByRole('button', { name: /^Sign out/ }).click();
  assert.equal((await ended).status(), 200);
  await here.page.waitForFunction(() => document.querySelectorAll('.session').length === 1);
  assert.equal(await here.page.locator('.session--current').count(), 1, 'this device stays');
  assert.equal(await here.page.getByRole('alert').count(), 0, 'the earlier error went with the device');
  assert.ok(await here.page.evaluate(() => document.activeElement?.id === 'sessions-title'),
    'no other device left: focus goes to the list\'s heading');
  await here.page.waitForFunction((text) => document.getElementById('announcer').textContent === text, `Signed out ${device}.`);

  // There: the access token still verifies until it expires; make it expire
  // now (401 once), on the way to the tasks. The refresh is refused and the
  // person lands on log in.
  await failRequests(there.page, isTasks, TOKEN_EXPIRED, { times: 1 });
  const refused = there.page.waitForResponse(isRefresh);
  await there.page.getByRole('link', { name: 'My tasks' }).click();
  assert.equal((await refused).status(), 401);
  await there.page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  await there.page.getByText('Your session has ended').waitFor();
  assert.deepEqual(there.problems, []);
  await there.context.close();
});

/** Presses Shift+Tab until `name` is focused (at most `limit` times). */
async function shiftTabTo(page, name, limit = 6) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Shift+Tab');
    if (await page.evaluate((n) => document.activeElement?.textContent.trim() === n, name)) return;
  }
  throw new Error(`Shift+Tab never reached ${name}`);
}

test('"Log out" in the header of the tasks screen fits a phone, works from the keyboard and ends the session', async () => {
  const { page } = here;
  await page.getByRole('link', { name: 'My tasks' }).click();
  await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
  const button = page.getByRole('banner').getByRole('button', { name: 'Log out' });

  await page.setViewportSize({ width: 360, height: 740 });
  const box = await button.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `the button is on screen at 360 px: ${JSON.stringify(box)}`);
  assert.ok(box.height >= 24 && box.width >= 24, 'a target a finger can hit');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways scrolling');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole('heading', { level: 1, name: 'My tasks' }).focus();
  await shiftTabTo(page, 'Log out');
  assert.ok(await button.evaluate((el) => getComputedStyle(el).boxShadow !== 'none'), 'focus is visible');
  const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/auth/logout'));
  await page.keyboard.press('Enter');
  assert.equal((await loggedOut).status(), 200);
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  await page.locator('main').getByText('You have been logged out.').waitFor();
  assert.ok(await page.evaluate(() => document.activeElement?.tagName === 'H1'), 'focus moves to the login heading');
  assert.equal(await button.isVisible(), false, 'no "Log out" for nobody');

  const refused = page.waitForResponse(isRefresh);
  await page.reload();
  assert.equal((await refused).status(), 401, 'the session is over on the server too');
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
});

/** The refresh cookie the browser holds now. */
async function refreshCookie(context) {
  const cookie = (await context.cookies(REFRESH_URL)).find((c) => c.path === '/api/auth');
  assert.ok(cookie, 'the browser holds a refresh cookie');
  return cookie;
}

/**
 * Refreshes with `cookie` from outside the page, as another request of the
 * same browser (or someone holding its cookie) would. Gives the answer:
 * { status, headers, body, code, cookie } (`cookie` the new one, if issued).
 */
async function refreshWith(cookie) {
  const outside = await request.newContext({ ignoreHTTPSErrors: true });
  try {
    const response = await outside.post(REFRESH_URL, { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
    const body = await response.text();
    const [name, value] = (response.headers()['set-cookie'] ?? '').split(';')[0].split('=');
    return {
      status: response.status(), headers: response.headers(), body, code: JSON.parse(body).code,
      cookie: value ? { name, value } : null,
    };
  } finally {
    await outside.dispose();
  }
}

test('a refresh answered REFRESH_STALE is retried with the newer cookie, and the person stays logged in', async () => {
  const { page, context } = here;
  assert.equal((await login(page, person)).status(), 200);
  await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();

  // At reload, another request of this browser wins the race: it rotates the
  // cookie (through the context's own jar, which then holds the new one),
  // and the page's refresh, sent with the old cookie, gets the server's real
  // answer to that: 401 REFRESH_STALE.
  await page.route(REFRESH_URL, async (route) => {
    const old = await refreshCookie(context);
    const won = await context.request.post(REFRESH_URL);
    assert.equal(won.status(), 200);
    const late = await refreshWith(old);
    assert.equal(late.status, 401);
    assert.equal(late.code, 'REFRESH_STALE');
    await route.fulfill({ status: late.status, headers: late.headers, body: late.body });
  }, { times: 1 });
  const answers = [];
  page.on('response', (r) => {
    if (isRefresh(r)) answers.push(r.status());
  });
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
  await page.getByRole('heading', { name: 'No tasks yet' }).waitFor();
  assert.deepEqual(answers, [401, 200], 'refused as stale once, then renewed');
  assert.equal(await page.getByRole('heading', { name: 'Log in' }).count(), 0);
});

test('a refresh with a spent cookie (REFRESH_REUSED) ends the session and shows log in', async () => {
  const { page, context } = here;
  // Someone else holds this browser's cookie and refreshes with it, then with
  // the cookie that gave them: the browser's cookie is now two rotations old,
  // and presenting it is reuse.
  const taken = await refreshWith(await refreshCookie(context));
  assert.equal(taken.status, 200);
  assert.equal((await refreshWith(taken.cookie)).status, 200);

  const refused = page.waitForResponse(isRefresh);
  await page.reload();
  const answer = await refused;
  assert.equal(answer.status(), 401);
  assert.equal((await answer.json()).code, 'REFRESH_REUSED');
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
});

test('nothing went wrong in the page along the way', () => {
  assert.deepEqual(here.problems, [], 'no script errors, CSP violations or console errors');
});
