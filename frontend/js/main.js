// Start-up and routing. Routes live in the URL's hash (#/login, #/tasks …),
// so nginx serves index.html for / and needs no fallback rule.

import * as api from './api.js';
import { h, focus, announce } from './dom.js';
import * as loginView from './views/login.js';
import * as registerView from './views/register.js';
import * as tasksView from './views/tasks.js';
import * as accountView from './views/account.js';

const APP_NAME = 'Tasks';

const routes = {
  login: { view: loginView, title: 'Log in', public: true },
  register: { view: registerView, title: 'Create an account', public: true },
  tasks: { view: tasksView, title: 'My tasks' },
  account: { view: accountView, title: 'Account' },
};

const main = document.getElementById('main');
const headerEnd = document.querySelector('.app-header__end'); // the nav and "Log out", for the signed-in
const nav = headerEnd.querySelector('.app-nav');
const logoutButton = headerEnd.querySelector('.header-logout');

let current = null; // { name, cleanup }
let flash = null; // { text, kind } shown once on the next screen
let firstRender = true;

/** Reads the hash: "#/login?next=%2Ftasks" → { name: "login", params }. */
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [name, query = ''] = raw.split('?');
  return { name, params: new URLSearchParams(query) };
}

/** A safe place to return to after logging in ("/tasks?status=pending"), or null. */
function safeNext(value) {
  if (!value) return null;
  const name = value.replace(/^\//, '').split('?')[0];
  return routes[name] && !routes[name].public ? `/${value.replace(/^\//, '')}` : null;
}

/** Goes to a route. `params` becomes the hash's query string. */
function navigate(name, params = null, { message = null, replace = false } = {}) {
  if (message) flash = message;
  const qs = params ? new URLSearchParams(params).toString() : '';
  const hash = `#/${name}${qs ? `?${qs}` : ''}`;
  if (location.hash === hash) {
    render();
  } else if (replace) {
    history.replaceState(null, '', hash);
    render();
  } else {
    location.hash = hash;
  }
}

/** Where the person is now, for the login screen to send them back to. */
function here() {
  return location.hash.replace(/^#/, '') || '/tasks';
}

function updateChrome(name) {
  const signedIn = Boolean(api.user());
  headerEnd.hidden = !signedIn;
  if (signedIn) logoutButton.disabled = false;
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.route === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.body.dataset.route = name;
}

/**
 * Logs out here, or on every device with `all`, and shows the login screen
 * saying so. Logging out always ends the session in this tab; when the
 * server could not confirm it, the login screen says that too.
 */
async function signOut({ all = false } = {}) {
  logoutButton.disabled = true;
  let message;
  try {
    await api.logout({ all });
    message = { kind: 'info', text: all ? 'You have been logged out on every device.' : 'You have been logged out.' };
  } catch (error) {
    const what = all ? 'logging out your other devices failed' : 'the server could not confirm it';
    message = { kind: 'error', text: `You are logged out here, but ${what}: ${error.message}` };
  }
  navigate('login', null, { message });
}

logoutButton.addEventListener('click', () => signOut());

function render() {
  const { name, params } = parseHash();
  const route = routes[name];
  const signedIn = Boolean(api.user());

  if (!route) {
    navigate(signedIn ? 'tasks' : 'login', null, { replace: true });
    return;
  }
  if (!route.public && !signedIn) {
    navigate('login', { next: here() }, { replace: true });
    return;
  }
  if (route.public && signedIn) {
    const next = safeNext(params.get('next'));
    history.replaceState(null, '', `#${next ?? '/tasks'}`);
    render();
    return;
  }

  if (current && current.cleanup) current.cleanup();
  const message = flash;
  flash = null;

  const ctx = {
    params,
    navigate,
    signOut,
    message,
    /** After logging in: back to where the person was, else the dashboard. */
    continueAfterLogin() {
      const next = safeNext(params.get('next'));
      history.replaceState(null, '', `#${next ?? '/tasks'}`);
      render();
    },
  };
  const result = route.view.render(ctx);
  current = { name, cleanup: result.cleanup };

  document.title = `${route.title} · ${APP_NAME}`;
  updateChrome(name);
  main.replaceChildren(result.node);
  if (!firstRender) {
    window.scrollTo(0, 0);
    focus(result.focus ?? main.querySelector('h1'));
  } else if (message) {
    focus(main.querySelector('h1'));
  }
  firstRender = false;
}

api.onSessionChange(({ reason }) => {
  if (reason === 'expired') {
    const { name } = parseHash();
    if (routes[name] && !routes[name].public) {
      navigate('login', { next: here() }, {
        message: { kind: 'info', text: 'Your session has ended. Log in again to carry on where you left off.' },
      });
    }
  }
  updateChrome(parseHash().name);
});

function bootError(error) {
  const retry = h('button', { type: 'button', class: 'button button--primary', text: 'Try again' });
  retry.addEventListener('click', start);
  main.replaceChildren(h('section', { class: 'card card--narrow boot-error', 'aria-labelledby': 'boot-error-title' },
    h('h1', { id: 'boot-error-title', class: 'page-title', text: 'We could not start the app' }),
    h('p', { text: error.message || 'Something went wrong.' }),
    retry));
  focus(main.querySelector('h1'));
  announce(error.message);
}

async function start() {
  try {
    await api.restoreSession(); // a reload keeps the person signed in
  } catch (error) {
    bootError(error);
    return;
  }
  if (!location.hash) history.replaceState(null, '', '#/tasks');
  render();
}

window.addEventListener('hashchange', render);
start();
