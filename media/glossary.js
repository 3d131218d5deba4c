// Prompt Glossary view page. Talks to src/features/glossaryView.ts with the messages typed in
// src/core/glossary/messages.ts. Builds every element with textContent (never innerHTML), so
// whatever the glossary text contains is shown as text.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

  /** @type {{ query: string, category: string, selected?: string }} */
  const state = Object.assign({ query: '', category: '', selected: undefined }, vscode.getState() || {});
  /** @type {Record<string, string>} */
  let labels = {};
  let zhFirst = false;
  let seq = 0;
  /** @type {Array<{id: string, primary: string, secondary: string, category: string, source: string}>} */
  let items = [];
  let active = -1;
  /** @type {string | undefined} */
  let pendingReveal;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let queryTimer;

  const save = () => vscode.setState(state);
  const t = (key, ...args) => (labels[key] || key).replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));

  // @ts-ignore: set by webview-dom.js, loaded first
  const { el, icon } = window.promptWorkbenchDom;

  // ----------------------------------------------------------------- layout
  const search = /** @type {HTMLInputElement} */ (el('input', { id: 'search', type: 'search', autocomplete: 'off', spellcheck: 'false', 'aria-controls': 'list' }));
  const clear = el('button', { id: 'clear', class: 'icon-button', type: 'button' }, [icon('close')]);
  const category = /** @type {HTMLSelectElement} */ (el('select', { id: 'category' }));
  const categoryLabel = el('label', { for: 'category' });
  const problem = el('div', { id: 'problem', class: 'problem', role: 'status', hidden: true });
  const count = el('div', { id: 'count', class: 'count', 'aria-live': 'polite' });
  const list = el('ul', { id: 'list', role: 'listbox', tabindex: '0' });
  const detail = el('section', { id: 'detail', tabindex: '-1', 'aria-live': 'polite' });
  app.append(
    el('div', { class: 'search-row' }, [icon('search'), search, clear]),
    el('div', { class: 'filter-row' }, [categoryLabel, category]),
    problem,
    count,
    list,
    detail,
  );

  function applyLabels() {
    search.placeholder = t('search');
    search.setAttribute('aria-label', t('searchLabel'));
    clear.title = t('clear');
    clear.setAttribute('aria-label', t('clear'));
    categoryLabel.textContent = t('categoryLabel');
    list.setAttribute('aria-label', t('listLabel'));
  }

  // ----------------------------------------------------------------- list
  function sendQuery() {
    seq += 1;
    vscode.postMessage({ type: 'query', seq, query: state.query, category: state.category });
  }

  function scheduleQuery() {
    if (queryTimer) clearTimeout(queryTimer);
    queryTimer = setTimeout(sendQuery, 60);
  }

  function renderList(total, shown) {
    list.replaceChildren();
    items.forEach((item, i) => {
      const li = el('li', { id: `term-${i}`, role: 'option', 'aria-selected': 'false', 'data-id': item.id }, [
        el('span', { class: 'primary', text: item.primary }),
        el('span', { class: 'secondary', text: item.secondary }),
        item.source !== 'builtIn' ? el('span', { class: 'codicon codicon-account', title: t('userTerm'), 'aria-label': t('userTerm') }) : undefined,
        el('span', { class: 'badge', text: item.category }),
      ]);
      li.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus where it is until click
      li.addEventListener('click', () => {
        setActive(i, true);
        list.focus();
      });
      list.append(li);
    });
    if (items.length === 0) list.append(el('li', { class: 'empty', role: 'presentation', text: t('none') }));
    const parts = [t('count', shown, total)];
    if (shown > items.length) parts.push(t('more', items.length));
    count.textContent = parts.join(' ');
    const keep = state.selected ? items.findIndex((x) => x.id === state.selected) : -1;
    setActive(keep, false);
  }

  /** Makes row i the active one; `select` also shows its entry. */
  function setActive(i, select) {
    const rows = list.querySelectorAll('li[role="option"]');
    rows.forEach((r) => {
      r.classList.remove('active');
      r.setAttribute('aria-selected', 'false');
    });
    active = i >= 0 && i < items.length ? i : -1;
    if (active < 0) {
      list.removeAttribute('aria-activedescendant');
      return;
    }
    const row = rows[active];
    row.classList.add('active');
    row.setAttribute('aria-selected', 'true');
    list.setAttribute('aria-activedescendant', row.id);
    row.scrollIntoView({ block: 'nearest' });
    if (select) selectEntry(items[active].id);
  }

  function selectEntry(id) {
    state.selected = id;
    save();
    vscode.postMessage({ type: 'select', id });
  }

  // ----------------------------------------------------------------- entry
  function renderEntry(entry) {
    const names = zhFirst ? [entry.zh, entry.en] : [entry.en, entry.zh];
    const title = [...new Set(names.filter(Boolean))].join(' · ') || entry.id;
    const facts = el('dl');
    const fact = (label, value) => facts.append(el('dt', { text: label }), value);
    if (entry.abbr.length) fact(t('abbr'), el('dd', {}, entry.abbr.flatMap((a, i) => [i ? ' ' : '', el('code', { text: a })])));
    if (entry.aliases.length) fact(t('aliases'), el('dd', { text: entry.aliases.join(' · ') }));
    fact(t('category'), el('dd', { text: entry.categoryLabel }));
    const heading = el('h2', { id: 'detail-title', tabindex: '-1', text: title });
    const children = [heading, facts];
    for (const d of entry.definitions) {
      children.push(el('div', { class: 'definition', lang: d.lang === 'zh' ? 'zh-CN' : 'en' }, [
        el('div', { class: 'lang' }, [icon(d.lang === 'zh' ? 'symbol-text' : 'symbol-key'), d.label]),
        el('p', { text: d.text }),
      ]));
    }
    if (entry.related.length) {
      children.push(el('h3', { text: t('related') }));
      const ul = el('ul', { class: 'related' });
      for (const r of entry.related) {
        const b = el('button', { class: 'link-button', type: 'button', 'data-id': r.id }, [icon('arrow-right'), r.title]);
        b.addEventListener('click', () => goTo(r.id));
        ul.append(el('li', {}, [b]));
      }
      children.push(ul);
    }
    const sourceRow = el('div', { class: 'source-row' }, [
      el('span', { class: 'source' }, [icon(entry.source.kind === 'builtIn' ? 'book' : 'account'), `${t('source')}: ${entry.source.label}`]),
    ]);
    if (entry.source.canOpen) {
      const open = el('button', { class: 'link-button', type: 'button' }, [icon('go-to-file'), t('openSource')]);
      open.addEventListener('click', () => vscode.postMessage({ type: 'openSource', id: entry.id }));
      sourceRow.append(open);
    }
    children.push(sourceRow);
    detail.replaceChildren(...children);
    detail.dataset.id = entry.id;
  }

  function renderPlaceholder(text) {
    detail.replaceChildren(el('p', { class: 'placeholder', text }));
    delete detail.dataset.id;
  }

  /** Follows a related-term link: selects it in the list when it is there. */
  function goTo(id) {
    const i = items.findIndex((x) => x.id === id);
    if (i >= 0) setActive(i, true);
    else {
      setActive(-1, false);
      selectEntry(id);
    }
    focusAfterEntry = true;
  }
  let focusAfterEntry = false;
  /** The page asked for the entry it showed before it was reloaded. */
  let restoring = false;

  // ----------------------------------------------------------------- keyboard
  search.addEventListener('input', () => {
    state.query = search.value;
    save();
    scheduleQuery();
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && items.length) {
      e.preventDefault();
      list.focus();
      setActive(active >= 0 ? active : 0, true);
    } else if (e.key === 'Enter' && items.length) {
      e.preventDefault();
      list.focus();
      setActive(active >= 0 ? active : 0, true);
    } else if (e.key === 'Escape' && search.value) {
      e.preventDefault();
      search.value = '';
      state.query = '';
      save();
      sendQuery();
    }
  });
  clear.addEventListener('click', () => {
    search.value = '';
    state.query = '';
    save();
    sendQuery();
    search.focus();
  });
  category.addEventListener('change', () => {
    state.category = category.value;
    save();
    sendQuery();
  });
  list.addEventListener('focus', () => {
    if (active < 0 && items.length) setActive(0, true);
  });
  list.addEventListener('keydown', (e) => {
    const page = Math.max(1, Math.floor(list.clientHeight / 24) - 1);
    const moves = { ArrowDown: active + 1, ArrowUp: active - 1, Home: 0, End: items.length - 1, PageDown: active + page, PageUp: active - page };
    if (e.key in moves && items.length) {
      e.preventDefault();
      setActive(Math.max(0, Math.min(items.length - 1, moves[e.key])), true);
      if (e.key === 'ArrowUp' && active === 0 && moves.ArrowUp < 0) search.focus();
    } else if ((e.key === 'Enter' || e.key === ' ') && active >= 0) {
      e.preventDefault();
      const h = document.getElementById('detail-title');
      if (h && detail.dataset.id === items[active].id) h.focus(); // already shown: go read it
      else {
        focusAfterEntry = true;
        selectEntry(items[active].id);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      search.focus();
    } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // Typing in the list searches.
      e.preventDefault();
      search.focus();
      search.value += e.key;
      search.dispatchEvent(new Event('input'));
    }
  });

  // ----------------------------------------------------------------- messages
  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
    switch (msg.type) {
      case 'init': {
        labels = msg.labels || {};
        zhFirst = !!msg.zhFirst;
        applyLabels();
        category.replaceChildren(el('option', { value: '', text: t('allCategories') }));
        for (const c of msg.categories || []) category.append(el('option', { value: c.id, text: `${c.label} (${c.count})` }));
        if (state.category && ![...category.options].some((o) => o.value === state.category)) state.category = '';
        category.value = state.category;
        search.value = state.query;
        problem.textContent = msg.problem || '';
        problem.hidden = !msg.problem;
        app.removeAttribute('aria-busy');
        sendQuery();
        restoring = !!state.selected;
        if (state.selected) vscode.postMessage({ type: 'select', id: state.selected });
        else renderPlaceholder(t('empty'));
        // Not after a reload for a changed glossary: the user may be typing in an editor.
        if (!pendingReveal && msg.focusSearch !== false) search.focus();
        break;
      }
      case 'results': {
        if (msg.seq !== seq) return; // an answer to an older query
        items = Array.isArray(msg.items) ? msg.items : [];
        renderList(msg.total, msg.shown);
        if (pendingReveal) {
          const id = pendingReveal;
          pendingReveal = undefined;
          const i = items.findIndex((x) => x.id === id);
          focusAfterEntry = false;
          if (i >= 0) {
            setActive(i, true);
            list.focus();
          } else selectEntry(id);
        }
        break;
      }
      case 'entry':
        restoring = false;
        renderEntry(msg.entry);
        if (focusAfterEntry) {
          focusAfterEntry = false;
          const h = document.getElementById('detail-title');
          if (h) h.focus();
        }
        break;
      case 'missing':
        state.selected = undefined;
        save();
        // A term remembered from before that is gone now (its file changed): just start afresh.
        renderPlaceholder(restoring ? t('empty') : t('missing', msg.id));
        restoring = false;
        break;
      case 'reveal':
        // Show the whole list with this term selected.
        pendingReveal = String(msg.id);
        state.query = '';
        state.category = '';
        state.selected = pendingReveal;
        save();
        search.value = '';
        category.value = '';
        sendQuery();
        break;
    }
  });

  vscode.postMessage({ type: 'ready' });
})();
