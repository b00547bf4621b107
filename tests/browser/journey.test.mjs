// One person's way through the app, from registering to logging in again,
// as a sequence of steps that share a browser page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launch, openPage, ready, register, login, addTask, uniqueEmail, strongPassword, submitAuth, screenshot,
  errorAnswer, failRequests,
} from './lib/harness.mjs';

const TASKS_PATH = /^\/api\/[^/]+\/tasks$/;
const isTasks = (url) => TASKS_PATH.test(url.pathname);
const isTaskList = (r) => isTasks(new URL(r.url())) && r.request().method() === 'GET';
// How the server refuses an access token that has expired.
const TOKEN_EXPIRED = {
  status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' }, detail: 'Token has expired', code: 'TOKEN_EXPIRED',
};

let browser;
let page;
let problems;
const person = { name: 'Ada', email: uniqueEmail('journey'), password: strongPassword() };
const newPassword = strongPassword();

before(async () => {
  browser = await launch();
  ({ page, problems } = await openPage(browser));
});

after(async () => {
  await browser?.close();
});

test('a common password is refused next to the password field', async () => {
  const response = await register(page, { ...person, password: 'password123' });
  assert.equal(response.status(), 422);
  const password = page.getByLabel('Password', { exact: true });
  const error = page.locator('[data-field="password"] .field__error');
  await error.waitFor();
  assert.match(await error.textContent(), /\S/, 'the server explains what is wrong');
  assert.equal(await password.getAttribute('aria-invalid'), 'true');
  const describedBy = (await password.getAttribute('aria-describedby')).split(' ');
  assert.ok(describedBy.includes(await error.getAttribute('id')), 'the message is tied to the field');
  assert.ok(await password.evaluate((el) => el === document.activeElement), 'focus is on the field to fix');
  await screenshot(page, 'register-errors-desktop');
});

test('registering lands on an empty dashboard with focus on its heading', async () => {
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  const response = await submitAuth(page, page.getByRole('button', { name: 'Create account' }), '/api/auth/register');
  assert.equal(response.status(), 201);
  await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
  assert.equal(new URL(page.url()).hash.split('?')[0], '#/tasks');
  await page.getByRole('heading', { name: 'No tasks yet' }).waitFor();
  assert.ok(await page.evaluate(() => document.activeElement?.tagName === 'H1'), 'focus moved to the heading');
  assert.equal(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })), '{}{}',
    'nothing is kept in web storage');
});

test('three tasks can be added', async () => {
  await addTask(page, 'Buy oat milk', '2 litres, the barista kind');
  await addTask(page, 'Call the plumber');
  await addTask(page, 'Water the plants');
  assert.equal(await page.locator('.task').count(), 3);
  await page.getByText('3 to do · 0 done').waitFor();
  assert.ok(await page.getByLabel('New task').evaluate((el) => el === document.activeElement),
    'focus stays in the new-task field, ready for the next one');
});

test('a task can be edited inline', async () => {
  await page.getByRole('button', { name: 'Edit “Call the plumber”' }).click();
  const title = page.locator('.task-edit').getByLabel('Title');
  assert.ok(await title.evaluate((el) => el === document.activeElement), 'the editor opens with focus on the title');
  await title.fill('Call the plumber about the boiler');
  await page.locator('.task-edit').getByLabel('Details').fill('Ask for Tuesday morning');
  const saved = page.waitForResponse((r) => r.request().method() === 'PUT');
  await title.press('Enter');
  assert.equal((await saved).status(), 200);
  await page.getByRole('checkbox', { name: 'Call the plumber about the boiler' }).waitFor();
  await page.getByText('Ask for Tuesday morning').waitFor();
  assert.ok(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')?.startsWith('Edit')),
    'focus returns to the Edit button');
});

test('a task can be marked done', async () => {
  const toggled = page.waitForResponse((r) => r.request().method() === 'PATCH');
  await page.getByRole('checkbox', { name: 'Water the plants' }).check();
  const response = await toggled;
  assert.equal(response.status(), 200);
  assert.equal((await response.json()).completed, true);
  await page.getByText('2 to do · 1 done').waitFor();
});

test('filters show to-do and done tasks', async () => {
  let loaded = page.waitForResponse(isTaskList);
  await page.getByText('Done', { exact: true }).click();
  await loaded;
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 1);
  await page.getByRole('checkbox', { name: 'Water the plants' }).waitFor();
  assert.match(page.url(), /status=completed/, 'the filter is in the address, so a reload keeps it');

  loaded = page.waitForResponse(isTaskList);
  await page.getByText('To do', { exact: true }).click();
  await loaded;
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 2);
  assert.equal(await page.getByRole('checkbox', { name: 'Water the plants' }).count(), 0);

  loaded = page.waitForResponse(isTaskList);
  await page.getByText('All', { exact: true }).click();
  await loaded;
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 3);
});

test('search narrows the list as you type', async () => {
  const searched = page.waitForResponse((r) => isTaskList(r) && new URL(r.url()).searchParams.get('q') === 'oat');
  await page.getByRole('searchbox', { name: 'Search tasks' }).pressSequentially('oat', { delay: 40 });
  await searched;
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 1);
  await page.getByRole('checkbox', { name: 'Buy oat milk' }).waitFor();
  await page.getByText('1 task matches “oat”').first().waitFor();

  const cleared = page.waitForResponse((r) => isTaskList(r) && !new URL(r.url()).searchParams.has('q'));
  await page.getByRole('searchbox', { name: 'Search tasks' }).fill('');
  await cleared;
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 3);
});

test('a deleted task can be brought back, and is gone once the undo window closes', async () => {
  await page.getByRole('button', { name: 'Delete “Buy oat milk”' }).click();
  const undo = page.getByRole('button', { name: 'Undo' });
  await undo.waitFor();
  assert.ok(await undo.evaluate((el) => el === document.activeElement), 'focus moves to Undo');
  assert.equal(await page.getByRole('checkbox', { name: 'Buy oat milk' }).count(), 0);
  await undo.press('Enter');
  await page.getByRole('checkbox', { name: 'Buy oat milk' }).waitFor();
  assert.ok(await page.evaluate(() => document.activeElement?.closest('.task')?.textContent.includes('Buy oat milk')),
    'focus returns to the restored task');

  await page.getByRole('button', { name: 'Delete “Buy oat milk”' }).click();
  const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE');
  await page.getByRole('button', { name: 'Dismiss notification' }).click();
  assert.equal((await deleted).status(), 200);
  await page.getByText('1 to do · 1 done').waitFor();
  assert.ok(await page.evaluate(() => Boolean(document.activeElement?.closest('.task'))),
    'focus lands on the next task, not lost on the page');
});

test('after a reload the person is still logged in and sees the same tasks', async () => {
  const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh'));
  await page.reload();
  assert.equal((await refreshed).status(), 200, 'the refresh cookie restores the session');
  await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 2);
  const titles = await page.locator('.task__title').allTextContents();
  assert.deepEqual(titles.sort(), ['Call the plumber about the boiler', 'Water the plants']);
});

test('an expired access token is refreshed without the person noticing', async () => {
  // The next task-list call is answered as if the token had expired, the way
  // the server answers one: 401 with WWW-Authenticate. The app must refresh
  // (POST /api/auth/refresh) and repeat the call with the new token.
  const seen = [];
  let answered = false;
  await page.route(isTasks, async (route) => {
    const request = route.request();
    seen.push({ method: request.method(), auth: request.headers().authorization });
    if (!answered && request.method() === 'GET') {
      answered = true;
      await route.fulfill(errorAnswer(TOKEN_EXPIRED));
      return;
    }
    await route.continue();
  });
  const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh'));
  await page.getByText('To do', { exact: true }).click();
  const refresh = await refreshed;
  assert.equal(refresh.status(), 200);
  const issued = (await refresh.json()).access_token;
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 1);
  await page.getByRole('checkbox', { name: 'Call the plumber about the boiler' }).waitFor();
  await page.unroute(isTasks);

  const gets = seen.filter((s) => s.method === 'GET');
  assert.ok(gets.length >= 2, 'the refused call was repeated');
  assert.ok(gets.every((s) => /^Bearer \S+$/.test(s.auth ?? '')), 'every call carries a bearer token');
  assert.equal(gets.at(-1).auth, `Bearer ${issued}`, 'the repeat carries the token the refresh issued');
  assert.equal(new URL(page.url()).hash.split('?')[0], '#/tasks', 'still on the dashboard, no login screen');
  assert.equal(await page.locator('.list-state--error').count(), 0, 'no error shown');
});

test('the password can be changed; a wrong current password is flagged on its field', async () => {
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
  await page.getByText(person.email).waitFor();

  await page.getByLabel('Current password', { exact: true }).fill('not-my-password');
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  let answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/password'));
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.equal((await answer).status(), 401);
  const current = page.getByLabel('Current password', { exact: true });
  await page.locator('[data-field="current"] .field__error').waitFor();
  assert.equal(await current.getAttribute('aria-invalid'), 'true');
  assert.equal(new URL(page.url()).hash, '#/account', 'a wrong current password does not end the session');

  await current.fill(person.password);
  answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/password'));
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.equal((await answer).status(), 200);
  await page.getByText('Password changed.').waitFor();
  person.password = newPassword;
});

test('logging out ends the session, even after a reload', async () => {
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  await page.locator('main').getByText('You have been logged out.').waitFor();

  await page.goto(`${BASE_URL}/#/account`);
  await ready(page);
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  assert.match(new URL(page.url()).hash, /next=%2Faccount/, 'the login screen remembers where the person wanted to go');
});

test('too many attempts says when to try again', async () => {
  // The stack's rate limiter answers like this; simulated so the test does not have to trip it.
  await failRequests(page, '**/api/auth/login', {
    status: 429, headers: { 'Retry-After': '42' }, detail: 'Too many attempts; wait a minute and try again', code: 'RATE_LIMITED',
  }, { times: 1 });
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /try again in 42 seconds/i);
  assert.ok(await page.getByRole('button', { name: 'Log in' }).isDisabled(), 'the button waits for the person');
  // A reload starts afresh (the real limit was never hit), for the next steps.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
});

test('after five wrong passwords for one address, the account throttle says when to try again', async () => {
  // The server's own per-account throttle, for an address no account has
  // (answered exactly as for one that exists); this person's is untouched.
  const stranger = uniqueEmail('nobody');
  for (let i = 0; i < 5; i += 1) {
    assert.equal((await login(page, { email: stranger, password: `Wrong-guess-${i}-x` })).status(), 401);
  }
  // The sixth is refused before any password is checked (clicked here, not
  // through login(), which would wait out a 429 and try again).
  await page.getByLabel('Password', { exact: true }).fill('Wrong-guess-5-x');
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
  await page.getByRole('button', { name: 'Log in' }).click();
  const response = await answer;
  assert.equal(response.status(), 429);
  assert.equal((await response.json()).code, 'TOO_MANY_ATTEMPTS');
  const alert = page.getByRole('alert').filter({ hasText: 'Too many wrong passwords' });
  assert.match(await alert.textContent(),
    /^Too many wrong passwords for this account\. Please try again in (\d+ seconds|\d+ minutes \(at .+\))\.$/);
  const button = page.getByRole('button', { name: 'Log in' });
  assert.ok(await button.isDisabled(), 'the button waits');
  // Another address is not throttled: changing it frees the button.
  await page.getByLabel('Email').fill(person.email);
  assert.ok(await button.isEnabled());
  assert.equal(await alert.isVisible(), false);
});

test('a wrong password says so clearly', async () => {
  const response = await login(page, { email: person.email, password: `${person.password}-wrong` });
  assert.equal(response.status(), 401);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /invalid email or password/i);
  assert.ok(await alert.evaluate((el) => el === document.activeElement), 'focus moves to the message');
});

test('logging in again (new password) returns the person to where they were going', async () => {
  const response = await login(page, person);
  assert.equal(response.status(), 200);
  await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
  await page.getByRole('link', { name: 'My tasks' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 2);
});

/** Presses Tab until `predicate` holds for the focused element (at most `limit` times). */
async function tabTo(predicate, limit = 15) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(predicate)) return;
  }
  throw new Error(`Tab never reached ${predicate}`);
}

const focusRingVisible = () => {
  const s = getComputedStyle(document.activeElement);
  return (s.boxShadow !== 'none' && s.boxShadow !== '') || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0);
};

test('everything works from the keyboard, with focus visible and moved sensibly', async () => {
  await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
  assert.ok(await page.evaluate(() => document.activeElement?.tagName === 'H1'));
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.activeElement?.getAttribute('placeholder') === 'What needs doing?'),
    'the new-task field follows the heading');
  assert.ok(await page.evaluate(focusRingVisible), 'the focused field shows it');

  await page.keyboard.type('Typed without a mouse');
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && /\/tasks$/.test(r.url()));
  await page.keyboard.press('Enter');
  assert.equal((await created).status(), 201);
  await page.getByRole('checkbox', { name: 'Typed without a mouse' }).waitFor();

  await tabTo(() => document.activeElement?.type === 'checkbox');
  assert.ok(await page.evaluate(focusRingVisible), 'the focused checkbox shows it');
  assert.equal(await page.evaluate(() => document.activeElement.labels[0].textContent), 'Typed without a mouse');
  const toggled = page.waitForResponse((r) => r.request().method() === 'PATCH');
  await page.keyboard.press('Space');
  assert.equal((await toggled).status(), 200);
  assert.ok(await page.getByRole('checkbox', { name: 'Typed without a mouse' }).isChecked());
  assert.ok(await page.evaluate(() => document.activeElement?.type === 'checkbox'), 'focus stays on the task');

  await page.keyboard.press('Tab'); // Edit
  await page.keyboard.press('Tab'); // Delete
  assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), /^Delete “Typed without a mouse”/);
  assert.ok(await page.evaluate(focusRingVisible), 'the focused button shows it');
  await page.keyboard.press('Enter');
  assert.ok(await page.evaluate(() => document.activeElement?.textContent === 'Undo'), 'focus goes to Undo');
  const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE');
  await page.keyboard.press('Escape'); // no undo: delete now
  assert.equal((await deleted).status(), 200);
  assert.ok(await page.evaluate(() => document.activeElement?.type === 'checkbox'), 'focus lands on the next task');
});

test('"log out everywhere" ends the session in another browser, which returns after logging in', async () => {
  // The same person on a second device, looking at their finished tasks.
  const other = await openPage(browser);
  await other.page.goto(`${BASE_URL}/#/tasks?status=completed`);
  await ready(other.page);
  await other.page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  assert.equal((await login(other.page, person)).status(), 200);
  await other.page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
  assert.match(other.page.url(), /#\/tasks\?status=completed$/);
  await other.page.getByRole('checkbox', { name: 'Water the plants' }).waitFor();

  // Here: log out everywhere.
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('button', { name: 'Log out everywhere' }).click();
  await page.locator('main').getByText('You have been logged out on every device.').waitFor();

  // There: the access token still verifies until it expires; make it expire
  // now (401 once). The app asks for a new one, the server refuses (the
  // refresh token was revoked), and the person lands on the login screen.
  await failRequests(other.page, isTasks, TOKEN_EXPIRED, { times: 1 });
  const refused = other.page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh'));
  await other.page.getByText('To do', { exact: true }).click();
  assert.equal((await refused).status(), 401);
  await other.page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  await other.page.getByText('Your session has ended').waitFor();

  // Logging in brings them back to the view they were on.
  assert.equal((await login(other.page, person)).status(), 200);
  await other.page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
  assert.match(other.page.url(), /#\/tasks\?status=pending$/);
  assert.ok(await other.page.getByRole('radio', { name: /To do/ }).isChecked());
  assert.deepEqual(other.problems, []);
  await other.context.close();
});

test('nothing went wrong in the page along the way', () => {
  assert.deepEqual(problems, [], 'no script errors, CSP violations or console errors');
});
