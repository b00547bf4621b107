// The dashboard's toolbar: filter (All / To do / Done, each with its count),
// search as you type, and sort.

import { h, icon } from '../dom.js';
import { FILTERS, SORTS, filterCounts, toolbarIdle } from './tasks-state.js';

// Long enough not to ask the server at every keystroke, short enough to feel live.
const SEARCH_DELAY_MS = 300;

/**
 * The toolbar, set to the state's filter, sort and search. `on` gets what the
 * person chooses: { status(value), search(text), sort(value) }. Gives
 * { node, searchInput, showCounts(state), cleanup() }.
 */
export function tasksToolbar(state, on) {
  const filterInputs = FILTERS.map((f) => h('input', {
    type: 'radio', name: 'status', value: f.value, id: `filter-${f.value}`, class: 'segmented__input', checked: f.value === state.status,
  }));
  const countSpans = new Map(FILTERS.map((f) => [f.value, h('span', { class: 'segmented__count' })]));
  const filters = h('fieldset', { class: 'segmented' },
    h('legend', { class: 'visually-hidden', text: 'Show' }),
    FILTERS.map((f, i) => [
      filterInputs[i],
      h('label', { for: `filter-${f.value}`, class: 'segmented__option' }, h('span', { text: f.label }), countSpans.get(f.value)),
    ]));

  const searchInput = h('input', {
    type: 'search', id: 'task-search', class: 'input search__input', placeholder: 'Search tasks', autocomplete: 'off', value: state.q, maxlength: 200,
    'aria-controls': 'task-list',
  });
  const search = h('div', { class: 'search' },
    h('label', { for: 'task-search', class: 'visually-hidden', text: 'Search tasks' }),
    icon('search', 'icon search__icon'),
    searchInput);

  const sortSelect = h('select', { id: 'task-sort', class: 'input select', 'aria-controls': 'task-list' },
    SORTS.map((s) => h('option', { value: s.value, text: s.label })));
  sortSelect.value = state.sort;
  const sort = h('div', { class: 'sort' },
    h('label', { for: 'task-sort', class: 'sort__label', text: 'Sort' }),
    sortSelect);

  const node = h('div', { class: 'toolbar' }, filters, h('div', { class: 'toolbar__row' }, search, sort));

  let searchTimer = 0;
  filters.addEventListener('change', (event) => on.status(event.target.value));
  searchInput.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => on.search(searchInput.value), SEARCH_DELAY_MS);
  });
  searchInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      clearTimeout(searchTimer);
      on.search(searchInput.value);
    }
  });
  sortSelect.addEventListener('change', () => on.sort(sortSelect.value));

  /** Puts the state's counts on the filters (blank before they are known). */
  function showCounts(current) {
    const counts = filterCounts(current);
    if (!counts) {
      for (const span of countSpans.values()) span.textContent = '';
      return;
    }
    // Nothing to filter, sort or search yet: keep the first visit simple.
    node.hidden = toolbarIdle(current);
    for (const [value, span] of countSpans) span.textContent = String(counts[value]);
  }

  return {
    node,
    searchInput,
    showCounts,
    cleanup() {
      clearTimeout(searchTimer);
    },
  };
}
