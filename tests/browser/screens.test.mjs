// Every screen at phone and desktop width: a screenshot for people to look at
// (in TODO_ARTIFACTS_DIR) and an axe-core check with no serious or critical
// violations. The dashboard and the account screen are also checked in dark
// mode.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import {
  BASE_URL, PHONE, DESKTOP, launch, openPage, ready, register, addTask, uniqueEmail, strongPassword,
  screenshot, axeViolations, describeViolations, failRequests,
} from './lib/harness.mjs';

const SIZES = { phone: PHONE, desktop: DESKTOP };
// How the server answers while its database is down.
const UNAVAILABLE = { status: 503, headers: { 'Retry-After': '5' }, detail: 'The database is unreachable', code: 'UNAVAILABLE' };
// Other browsers the person is logged in on, as their User-Agent names them.
const ELSEWHERE = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
];
const person = { name: 'Grace', email: uniqueEmail('screens'), password: strongPassword() };

let browser;
let page;
let problems;

before(async () => {
  browser = await launch();
  ({ page, problems } = await openPage(browser));
});

after(async () => {
  await browser?.close();
});

/** Screenshots the page at both widths (and in dark mode when asked), checking accessibility each time. */
async function capture(name, { dark = false } = {}) {
  const schemes = dark ? ['light', 'dark'] : ['light'];
  for (const scheme of schemes) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      await page.evaluate(() => window.scrollTo(0, 0));
      // Keep screenshots about the screen, not about where focus happens to be.
      await page.evaluate(() => document.activeElement?.blur());
      await page.mouse.move(0, 0);
      await screenshot(page, `${name}-${size}${scheme === 'dark' ? '-dark' : ''}`);
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${name} (${size}, ${scheme}):\n${describeViolations(violations)}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('login screen', async () => {
  await page.goto(`${BASE_URL}/#/login`);
  await ready(page);
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  await capture('login', { dark: true });
});

test('login screen showing an error', async () => {
  await page.getByRole('button', { name: 'Log in' }).click(); // empty form: checked in the browser, no request
  await page.locator('[data-field="email"] .field__error').waitFor();
  await capture('login-errors');
});

test('register screen', async () => {
  await page.goto(`${BASE_URL}/#/register`);
  await ready(page);
  await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
  await capture('register');
});

test('empty dashboard', async () => {
  const response = await register(page, person);
  assert.equal(response.status(), 201);
  await page.getByRole('heading', { name: 'No tasks yet' }).waitFor();
  await capture('dashboard-empty', { dark: true });
});

test('dashboard with tasks', async () => {
  await addTask(page, 'Renew the car insurance', 'Compare at least three quotes before the 30th.');
  await addTask(page, 'Book a table for Friday');
  await addTask(page, 'Reply to Amara about the hiking trip', 'She suggested the coastal route — check the tide times.');
  await addTask(page, 'Water the plants');
  await addTask(page, 'Pick up dry cleaning');
  for (const title of ['Water the plants', 'Book a table for Friday']) {
    const toggled = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await page.getByRole('checkbox', { name: title }).check();
    await toggled;
  }
  await page.getByText('3 to do · 2 done').waitFor();
  await capture('dashboard', { dark: true });
});

test('dashboard editing a task', async () => {
  await page.getByRole('button', { name: 'Edit “Renew the car insurance”' }).click();
  await page.locator('.task-edit').waitFor();
  await capture('dashboard-editing');
  await page.locator('.task-edit').getByRole('button', { name: 'Cancel' }).click();
});

test('dashboard with a search that matches nothing', async () => {
  const searched = page.waitForResponse((r) => new URL(r.url()).searchParams.get('q') === 'zebra');
  await page.getByRole('searchbox', { name: 'Search tasks' }).fill('zebra');
  await searched;
  await page.getByRole('heading', { name: 'No tasks match “zebra”' }).waitFor();
  await capture('dashboard-no-match');
  await page.getByRole('button', { name: 'Clear search' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 5);
});

test('dashboard when the server cannot be reached: says what happened and offers a retry', async () => {
  const isGetTasks = (url) => /^\/api\/[^/]+\/tasks$/.test(url.pathname);
  await failRequests(page, isGetTasks, UNAVAILABLE);
  await page.getByText('To do', { exact: true }).click();
  const alert = page.locator('.list-state').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /could not load your tasks/i);
  assert.match(await alert.textContent(), /try again in 5 seconds/i);
  await capture('dashboard-error');
  await page.unroute(isGetTasks);
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 3);
  await page.getByText('All', { exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 5);
});

test('a change the server refuses is rolled back and explained', async () => {
  await failRequests(page, '**/complete', UNAVAILABLE, { times: 1 });
  const box = page.getByRole('checkbox', { name: 'Pick up dry cleaning' });
  await box.click(); // it flips, then flips back
  const message = page.locator('.task', { hasText: 'Pick up dry cleaning' }).getByRole('alert');
  await message.waitFor();
  assert.match(await message.textContent(), /could not save/i);
  assert.equal(await box.isChecked(), false, 'the checkbox is back as the server has it');
  await page.getByText('3 to do · 2 done').waitFor();
  await capture('dashboard-rollback');
});

/** Logs the person in from another browser (an API client naming itself `userAgent`), so it is listed as a device. */
async function loginElsewhere(userAgent) {
  const elsewhere = await request.newContext({ baseURL: BASE_URL, ignoreHTTPSErrors: true, userAgent });
  try {
    const response = await elsewhere.post('/api/auth/login', { data: { email: person.email, password: person.password } });
    assert.equal(response.status(), 200);
  } finally {
    await elsewhere.dispose();
  }
}

test('account screen, logged in on three devices', async () => {
  for (const userAgent of ELSEWHERE) await loginElsewhere(userAgent);
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.session').length === 3);
  await page.getByText('Safari on iPhone').waitFor();
  await capture('account', { dark: true });
});

test('account screen when a device could not be signed out', async () => {
  await failRequests(page, '**/api/auth/sessions/*', UNAVAILABLE, { times: 1 });
  await page.getByRole('button', { name: 'Sign out Safari on iPhone' }).click();
  await page.locator('.session').getByRole('alert').waitFor();
  await capture('account-session-error');
});

test('no script errors, CSP violations or console errors on any screen', () => {
  assert.deepEqual(problems, []);
});
