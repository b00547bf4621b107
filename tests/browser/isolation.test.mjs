// Each person sees only their own tasks.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, register, addTask, uniqueEmail, strongPassword } from './lib/harness.mjs';

let browser;
let second; // the second person's page, reused by the paging test

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test("a second person in another browser sees none of the first person's tasks", async () => {
  const first = await openPage(browser);
  assert.equal((await register(first.page, { name: 'First', email: uniqueEmail('first'), password: strongPassword() })).status(), 201);
  await first.page.getByRole('heading', { name: 'No tasks yet' }).waitFor();
  await addTask(first.page, 'Private: renew passport');
  await addTask(first.page, 'Private: dentist at 9');

  second = await openPage(browser); // its own cookies: another person
  const listed = second.page.waitForResponse((r) => /\/api\/[^/]+\/tasks$/.test(new URL(r.url()).pathname) && r.request().method() === 'GET');
  assert.equal((await register(second.page, { name: 'Second', email: uniqueEmail('second'), password: strongPassword() })).status(), 201);
  const response = await listed;
  assert.equal(response.status(), 200);
  assert.deepEqual(await response.json(), [], 'the server gives the second person no tasks');
  assert.equal(response.headers()['x-total-count'], '0');
  await second.page.getByRole('heading', { name: 'No tasks yet' }).waitFor();
  assert.equal(await second.page.getByText('Private:').count(), 0);

  // With a task of their own, they see just that one; a search for the first
  // person's words finds nothing.
  await addTask(second.page, 'Mine: fix the bike');
  assert.deepEqual(await second.page.locator('.task__title').allTextContents(), ['Mine: fix the bike']);
  const searched = second.page.waitForResponse((r) => new URL(r.url()).searchParams.get('q') === 'Private');
  await second.page.getByRole('searchbox', { name: 'Search tasks' }).fill('Private');
  assert.deepEqual(await (await searched).json(), []);
  await second.page.getByRole('heading', { name: 'No tasks match “Private”' }).waitFor();

  // And the first person still has both.
  await first.page.reload();
  await first.page.waitForFunction(() => document.querySelectorAll('.task').length === 2);

  assert.deepEqual([...first.problems, ...second.problems], []);
  await first.context.close();
});

test('a long list comes in pages, with "Load more"', async () => {
  const { page } = second;
  await page.getByRole('button', { name: 'Clear search' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 1);
  for (let i = 1; i <= 20; i += 1) await addTask(page, `Chore ${String(i).padStart(2, '0')}`);

  // A fresh load shows the first page and says how many there are.
  const first = page.waitForResponse((r) => /\/tasks\?/.test(r.url()) && new URL(r.url()).searchParams.get('limit') === '20');
  await page.reload();
  const response = await first;
  assert.equal(response.headers()['x-total-count'], '21');
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 20);
  await page.getByText('Showing 20 of 21').waitFor();

  const next = page.waitForResponse((r) => new URL(r.url()).searchParams.get('offset') === '20');
  await page.getByRole('button', { name: 'Load more' }).click();
  assert.equal((await next).status(), 200);
  await page.waitForFunction(() => document.querySelectorAll('.task').length === 21);
  assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0, 'nothing more to load');
  assert.equal(await page.evaluate(() => document.activeElement?.labels?.[0]?.textContent), 'Mine: fix the bike',
    'focus moves to the first task that came in');
  assert.deepEqual(second.problems, []);
});
