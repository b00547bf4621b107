// Shared pieces of the browser tests: Debian's chromium driven by
// playwright-core (no downloaded browser), axe-core, screenshots, the steps a
// person takes (register, log in) and the server's error answers that tests
// simulate, written once.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');

/** The stack under test. */
export const BASE_URL = (process.env.TODO_TEST_URL || 'https://127.0.0.1:18443').replace(/\/+$/, '');

/** Where screenshots go (git-ignored var/ by default). */
export const ARTIFACTS_DIR = path.resolve(repoRoot, process.env.TODO_ARTIFACTS_DIR || 'var/test/artifacts');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Starts Debian's chromium (a fresh temporary profile each time). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.TODO_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * A new browser context (its own cookies: a separate person) and a page in it.
 * `problems` collects page errors, CSP violations and console errors other
 * than the network errors that the app handles on purpose (401, 422 …).
 */
export async function openPage(browser, { viewport = DESKTOP, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({
    viewport,
    colorScheme,
    ignoreHTTPSErrors: true, // the local certificate is self-signed
    reducedMotion: 'reduce', // steadier screenshots
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/^Failed to load resource: the server responded with a status of ([45]\d\d)/.test(text)) return;
    problems.push(`console error: ${text}`);
  });
  return { context, page, problems };
}

/** A fresh address for each run, so runs never collide. */
export function uniqueEmail(label) {
  return `${label}-${Date.now()}-${randomBytes(4).toString('hex')}@example.com`;
}

/** A password that is not on any common-password list. */
export function strongPassword() {
  return `Quiet-harbour-${randomBytes(6).toString('hex')}`;
}

/** Waits for the app to finish starting (the boot spinner gone, a heading shown). */
export async function ready(page) {
  await page.locator('main h1').first().waitFor();
}

/**
 * Clicks a form's submit button and gives the answer to `urlPart`. When the
 * stack's rate limiter answers 429, waits out Retry-After (the app shows it
 * and locks the button meanwhile) and tries once more, so a quick re-run
 * does not fail for the wrong reason.
 */
export async function submitAuth(page, button, urlPart) {
  for (let attempt = 0; ; attempt += 1) {
    const answer = page.waitForResponse((r) => r.url().includes(urlPart) && r.request().method() === 'POST');
    await button.click();
    const response = await answer;
    if (response.status() !== 429 || attempt > 0) return response;
    const wait = Math.min(Number(response.headers()['retry-after'] || 30), 90);
    await page.waitForTimeout(wait * 1000 + 500);
    await button.waitFor({ state: 'visible' });
    await page.waitForFunction((el) => !el.disabled, await button.elementHandle(), { timeout: 5000 }).catch(() => {});
  }
}

/** Registers through the register screen; gives the token answer's status. */
export async function register(page, { name, email, password }) {
  await page.goto(`${BASE_URL}/#/register`);
  await ready(page);
  if (name) await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  return submitAuth(page, page.getByRole('button', { name: 'Create account' }), '/api/auth/register');
}

/** Logs in on the screen that is showing; gives the response. */
export async function login(page, { email, password }) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  return submitAuth(page, page.getByRole('button', { name: 'Log in' }), '/api/auth/login');
}

/** Adds a task through the new-task form and waits until the server has it. */
export async function addTask(page, title, description = '') {
  await page.getByLabel('New task').fill(title);
  if (description) await page.getByLabel('Details').first().fill(description);
  const created = page.waitForResponse((r) => /\/api\/[^/]+\/tasks$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Add task' }).click();
  const response = await created;
  if (response.status() !== 201) throw new Error(`creating "${title}" answered ${response.status()}`);
  await page.getByRole('checkbox', { name: title, exact: true }).waitFor();
}

/**
 * An error answer in the server's format, for route.fulfill: `status`, a JSON
 * body { detail, code } and any further `headers` (Retry-After,
 * WWW-Authenticate).
 */
export function errorAnswer({ status, detail, code, headers = {} }) {
  return { status, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ detail, code }) };
}

/**
 * Answers the page's requests to `url` (a glob or a predicate of the URL)
 * with errorAnswer(error) instead of letting them reach the server: all of
 * them until unrouted, or only the first `times`.
 */
export function failRequests(page, url, error, { times } = {}) {
  return page.route(url, (route) => route.fulfill(errorAnswer(error)), { times });
}

/** Saves a screenshot of the whole page as ARTIFACTS_DIR/<name>.png. */
export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  // Let fonts, the sticky header and any transition settle.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

let axeSource = null;

/**
 * Runs axe-core on the page and gives its serious and critical violations.
 * axe's source goes in through the DevTools protocol (page.evaluate), which
 * the page's CSP does not govern; the app's own CSP stays on.
 */
export async function axeViolations(page) {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary}`),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Formats axe violations for an assertion message. */
export function describeViolations(violations) {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}
