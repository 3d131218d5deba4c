// Prompt preview page. Talks to src/features/preview/panel.ts with the messages defined in
// src/core/preview/messages.ts, and validates every message it receives with the same schemas
// (media/preview-protocol.js, global PreviewProtocol). Builds every element with textContent
// (never innerHTML), so whatever the prompt contains — <script>, <img onerror=…>, & — is shown
// as the characters it is and runs nothing.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  // eslint-disable-next-line no-undef
  const protocol = /** @type {{ parseHostMessage(raw: unknown): { ok: true, message: any } | { ok: false, error: string } }} */ (globalThis.PreviewProtocol);
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

  /** Tokens rendered at first, and per step when scrolling or showing all. */
  const FIRST_TOKENS = 600;
  const MORE_TOKENS = 2000;
  const ALL_PER_FRAME = 6000;
  /** Texts longer than this are split into blocks the browser lays out only when visible. */
  const BLOCK_CHARS = 20000;

  /** @type {{ uri?: string, locked?: boolean, tokenView?: boolean, scroll?: { text: number, tokens: number } }} */
  const saved = Object.assign({}, vscode.getState() || {});
  /** @type {Record<string, string>} */
  let labels = {};
  let tokenView = !!saved.tokenView;
  let locked = !!saved.locked;
  /** The text shown, and the update its render came from. */
  let text = '';
  let textSeq = -1;
  let fullLength = 0;
  /** @type {any} */
  let header;
  /** @type {any} */
  let tokens;
  let tokensRendered = 0;
  /** @type {number[]} */
  let tokenStarts = [];
  /** @type {Map<number, string>} */
  let partialHex = new Map();
  let activeToken = -1;
  let restoreScroll = true;

  const save = () => vscode.setState(saved);
  const t = (key, ...args) => (labels[key] || key).replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
  const post = (msg) => vscode.postMessage(msg);

  // @ts-ignore: set by webview-dom.js, loaded first
  const { el, icon } = window.promptWorkbenchDom;
  const button = (id, iconName, extra = {}) => el('button', { id, class: 'icon-button', type: 'button', ...extra }, [icon(iconName)]);

  // ----------------------------------------------------------------- layout
  const sourceName = el('span', { id: 'source-name' });
  const kindBadge = el('span', { id: 'kind', class: 'badge' });
  const valuesButton = el('button', { id: 'values', class: 'link-button', type: 'button', hidden: true });
  const busy = el('span', { id: 'busy', class: 'codicon codicon-loading codicon-modifier-spin', hidden: true, role: 'status' });
  const tokensToggle = el('button', { id: 'toggle-tokens', class: 'toggle-button', type: 'button', 'aria-pressed': 'false' }, [icon('symbol-key'), el('span', { id: 'toggle-tokens-label' })]);
  const copyButton = button('copy', 'copy');
  const lockButton = button('lock', 'unlock', { 'aria-pressed': 'false' });
  const modelSelect = /** @type {HTMLSelectElement} */ (el('select', { id: 'model' }));
  const modelLabel = el('label', { for: 'model', class: 'visually-hidden' });
  const moreModels = button('more-models', 'ellipsis');
  const tokensStat = el('span', { id: 'tokens', class: 'stat strong' });
  const charsStat = el('span', { id: 'chars', class: 'stat' });
  const costStat = el('span', { id: 'cost', class: 'stat' });
  const costOutStat = el('span', { id: 'cost-output', class: 'stat' });
  const gaugeFill = el('div', { class: 'fill' });
  const gaugeLabel = el('span', { id: 'gauge-label', class: 'gauge-label' });
  const gauge = el('div', { id: 'gauge', class: 'gauge', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100' }, [el('div', { class: 'bar' }, [gaugeFill]), gaugeLabel]);
  const templateModel = el('div', { id: 'template-model', class: 'note', hidden: true });
  const retirementNote = el('div', { id: 'model-retirement', class: 'note', hidden: true });
  const problems = el('section', { id: 'problems', 'aria-live': 'polite' });
  const textView = el('pre', { id: 'text', tabindex: '0' });
  const textNote = el('div', { id: 'text-note', class: 'note', hidden: true });
  const tokenNote = el('div', { id: 'tokens-note', class: 'note', 'aria-live': 'polite' });
  const tokenList = el('div', { id: 'token-list', tabindex: '0', role: 'list' });
  const showMore = el('button', { id: 'show-more', class: 'link-button', type: 'button' });
  const showAll = el('button', { id: 'show-all', class: 'link-button', type: 'button' });
  const tokenMore = el('div', { id: 'tokens-more', class: 'note', hidden: true }, [el('span', { id: 'tokens-count' }), ' ', showMore, ' · ', showAll]);
  const sentinel = el('div', { id: 'tokens-sentinel', 'aria-hidden': 'true' });
  const tokensSection = el('section', { id: 'tokens-view', hidden: true }, [tokenNote, tokenList, tokenMore, sentinel]);
  const textSection = el('section', { id: 'text-view' }, [textNote, textView]);
  const tooltip = el('div', { id: 'tooltip', role: 'tooltip', hidden: true });

  app.append(
    el('header', { id: 'header' }, [
      el('div', { class: 'row top' }, [
        el('span', { class: 'source' }, [icon('file'), sourceName, kindBadge]),
        valuesButton,
        el('span', { class: 'spacer' }),
        busy,
        tokensToggle,
        copyButton,
        lockButton,
      ]),
      el('div', { class: 'row stats' }, [
        el('span', { class: 'model-picker' }, [modelLabel, modelSelect, moreModels]),
        tokensStat,
        charsStat,
        costStat,
        costOutStat,
        gauge,
      ]),
      retirementNote,
      templateModel,
    ]),
    problems,
    textSection,
    tokensSection,
    tooltip,
  );

  function applyLabels() {
    copyButton.title = t('copy');
    copyButton.setAttribute('aria-label', t('copy'));
    modelLabel.textContent = t('model');
    modelSelect.title = t('model');
    moreModels.title = t('moreModels');
    moreModels.setAttribute('aria-label', t('moreModels'));
    textView.setAttribute('aria-label', t('renderedPrompt'));
    tokenList.setAttribute('aria-label', t('tokensLabel'));
    gauge.setAttribute('aria-label', t('context'));
    showMore.textContent = t('showMore');
    showAll.textContent = t('showAll');
    applyLock();
    applyTokenView();
  }

  function applyLock() {
    lockButton.replaceChildren(icon(locked ? 'lock' : 'unlock'));
    lockButton.setAttribute('aria-pressed', String(locked));
    lockButton.title = locked ? t('unlock') : t('lock');
    lockButton.setAttribute('aria-label', lockButton.title);
  }

  function applyTokenView() {
    tokensToggle.setAttribute('aria-pressed', String(tokenView));
    tokensToggle.title = tokenView ? t('tokenViewOn') : t('tokenViewOff');
    /** @type {HTMLElement} */ (document.getElementById('toggle-tokens-label')).textContent = t('tokenView');
    tokensSection.hidden = !tokenView;
    textSection.hidden = tokenView;
    hideTooltip();
  }

  // ----------------------------------------------------------------- header
  function renderModels(msg) {
    const current = modelSelect.value || msg.current;
    modelSelect.replaceChildren();
    for (const g of msg.groups) {
      const group = el('optgroup', { label: g.provider });
      for (const m of g.models) group.append(el('option', { value: m.id, text: `${m.name}` }));
      modelSelect.append(group);
    }
    modelSelect.value = header ? header.model.id : msg.current || current;
  }

  function renderHeader(h) {
    header = h;
    if (!h) {
      for (const s of [tokensStat, charsStat, costStat, costOutStat]) s.textContent = '';
      gauge.hidden = true;
      templateModel.hidden = true;
      retirementNote.hidden = true;
      return;
    }
    if (![...modelSelect.options].some((o) => o.value === h.model.id)) modelSelect.append(el('option', { value: h.model.id, text: h.model.name }));
    modelSelect.value = h.model.id;
    tokensStat.textContent = h.tokensText;
    tokensStat.title = h.exact ? t('exact', h.tokenizer) : t('estimate');
    tokensStat.classList.toggle('estimate', !h.exact);
    charsStat.textContent = t('characters', h.characters);
    costStat.textContent = t('inputCost', h.inputCost);
    costOutStat.textContent = t('withOutput', h.withOutputLabel, h.withOutputCost);
    gauge.hidden = false;
    const pct = Math.max(0, h.share * 100);
    gaugeFill.style.width = `${Math.min(100, pct)}%`;
    gauge.dataset.level = h.level;
    gauge.setAttribute('aria-valuenow', String(Math.round(pct)));
    gauge.setAttribute('aria-valuetext', h.shareText);
    gaugeLabel.textContent = h.shareText;
    gauge.title = `${t('context')}: ${h.shareText}`;
    if (h.retirement) {
      retirementNote.replaceChildren(icon(h.retirement.retired ? 'warning' : 'info'), ` ${h.retirement.text}`);
      retirementNote.classList.toggle('warning', h.retirement.retired);
      retirementNote.hidden = false;
    } else {
      retirementNote.hidden = true;
    }
    if (h.templateModel) {
      const use = el('button', { id: 'use-template-model', class: 'link-button', type: 'button', text: t('useTemplateModel') });
      use.addEventListener('click', () => post({ type: 'selectModel', id: h.templateModel.id }));
      templateModel.replaceChildren(icon('info'), ` ${h.templateModel.label} `, use);
      templateModel.hidden = false;
    } else {
      templateModel.hidden = true;
    }
  }

  function renderSource(source) {
    if (!source) {
      sourceName.textContent = '';
      kindBadge.textContent = '';
      valuesButton.hidden = true;
      return;
    }
    sourceName.textContent = source.name;
    sourceName.title = source.uri;
    kindBadge.textContent = source.kind === 'template' ? t('template') : t('document');
    valuesButton.hidden = source.kind !== 'template';
    valuesButton.replaceChildren(icon('json'), ' ', source.values ? t('valuesFrom', source.values) : t('samples'));
    valuesButton.title = t('values');
    if (saved.uri !== source.uri) {
      if (saved.uri !== undefined) {
        saved.scroll = { text: 0, tokens: 0 };
        restoreScroll = true;
      }
      saved.uri = source.uri;
      save();
    }
  }

  function renderProblems(list, stale) {
    problems.replaceChildren();
    if (stale) problems.append(el('div', { class: 'problem stale', role: 'status' }, [icon('history'), el('span', { text: t('stale') })]));
    for (const p of list) {
      const row = el('div', { class: `problem ${p.severity}` }, [icon(p.severity === 'info' ? 'info' : p.severity)]);
      row.append(el('span', { class: 'message', text: p.message }));
      if (p.line) {
        const where = p.fileLabel ? t('lineIn', p.fileLabel, p.line) : t('goTo', p.line);
        const go = el('button', { class: 'link-button go-to-line', type: 'button', text: where, 'data-line': String(p.line) });
        go.addEventListener('click', () => post({ type: 'reveal', file: p.file || 'source', line: p.line, ...(p.column ? { column: p.column } : {}) }));
        row.append(go);
      }
      problems.append(row);
    }
    textSection.classList.toggle('stale', !!stale);
    tokensSection.classList.toggle('stale', !!stale);
  }

  // ----------------------------------------------------------------- text view
  function renderText(value) {
    text = value;
    textView.replaceChildren();
    if (value.length === 0) {
      textView.append(el('span', { class: 'placeholder', text: t('empty') }));
      return;
    }
    if (value.length <= BLOCK_CHARS) {
      textView.textContent = value;
      return;
    }
    // Blocks ending at line breaks; the browser skips the layout of those off screen (content-visibility).
    let start = 0;
    while (start < value.length) {
      let end = Math.min(value.length, start + BLOCK_CHARS);
      if (end < value.length) {
        const nl = value.lastIndexOf('\n', end);
        if (nl > start) end = nl + 1;
      }
      textView.append(el('div', { class: 'block' }, [value.slice(start, end)]));
      start = end;
    }
  }

  function renderTextNote() {
    if (fullLength > text.length) {
      textNote.textContent = t('textTruncated', text.length.toLocaleString(), fullLength.toLocaleString());
      textNote.hidden = false;
    } else {
      textNote.hidden = true;
    }
  }

  // ----------------------------------------------------------------- token view
  const VISIBLE = { ' ': '·', '\t': '→', '\r': '␍', '\u00a0': '⍽', '\u200b': '⟨ZWSP⟩', '\ufeff': '⟨BOM⟩', '\u0085': '⟨NEL⟩', '\u2028': '⟨LS⟩', '\u2029': '⟨PS⟩' };
  const INVISIBLE = /[ \t\r\n\u00a0\u200b\ufeff\u0085\u2028\u2029]/;

  /** A token's text with whitespace made visible (dimmed marks; a line break also breaks the line). */
  function tokenContent(span, s) {
    if (!INVISIBLE.test(s)) {
      span.textContent = s;
      return;
    }
    let plain = '';
    const flush = () => {
      if (plain) span.append(plain);
      plain = '';
    };
    for (const ch of s) {
      if (ch === '\n') {
        flush();
        span.append(el('span', { class: 'ws', text: '↵' }), '\n');
      } else if (VISIBLE[ch]) {
        flush();
        span.append(el('span', { class: 'ws', text: VISIBLE[ch] }));
      } else plain += ch;
    }
    flush();
  }

  function tokenText(k) {
    return text.slice(tokenStarts[k], tokenStarts[k + 1]);
  }

  function renderTokenBatch(count) {
    if (!tokens || tokens.state !== 'ready') return;
    const end = Math.min(tokens.ids.length, tokensRendered + count);
    const frag = document.createDocumentFragment();
    for (let k = tokensRendered; k < end; k++) {
      const s = tokenText(k);
      const partial = partialHex.has(k);
      const span = document.createElement('span');
      span.className = `tok c${k % 5}${partial ? ' partial' : ''}${s === '' ? ' cont' : ''}`;
      span.id = `tok-${k}`;
      span.dataset.i = String(k);
      if (s === '') span.textContent = '⋯';
      else tokenContent(span, s);
      frag.append(span);
    }
    tokenList.append(frag);
    tokensRendered = end;
    updateTokenMore();
  }

  function updateTokenMore() {
    if (!tokens || tokens.state !== 'ready') {
      tokenMore.hidden = true;
      return;
    }
    const total = tokens.ids.length;
    tokenMore.hidden = tokensRendered >= total;
    /** @type {HTMLElement} */ (document.getElementById('tokens-count')).textContent = t('tokensShown', tokensRendered.toLocaleString(), total.toLocaleString());
  }

  function renderTokens() {
    hideTooltip();
    activeToken = -1;
    tokenList.removeAttribute('aria-activedescendant');
    tokenList.replaceChildren();
    tokensRendered = 0;
    tokenStarts = [];
    partialHex = new Map();
    if (!tokens) {
      tokenNote.textContent = '';
      updateTokenMore();
      return;
    }
    if (tokens.state === 'computing') {
      tokenNote.textContent = t('computing');
      updateTokenMore();
      return;
    }
    if (tokens.state === 'unavailable') {
      tokenNote.replaceChildren(icon('info'), ' ', tokens.reason);
      tokenNote.className = 'note unavailable';
      updateTokenMore();
      return;
    }
    tokenNote.className = 'note';
    const notes = [t('legendSpace')];
    if (tokens.covered < fullLength) notes.push(t('tokensPartOf', tokens.covered.toLocaleString()));
    if (tokens.approximate) notes.push(t('approximate'));
    tokenNote.textContent = notes.join(' ');
    let at = 0;
    tokenStarts = new Array(tokens.ids.length + 1);
    for (let k = 0; k < tokens.ids.length; k++) {
      tokenStarts[k] = at;
      at += tokens.lens[k];
    }
    tokenStarts[tokens.ids.length] = at;
    for (const p of tokens.partial) partialHex.set(p.index, p.hex);
    renderTokenBatch(FIRST_TOKENS);
  }

  function showAllTokens() {
    const step = () => {
      renderTokenBatch(ALL_PER_FRAME);
      if (tokens && tokens.state === 'ready' && tokensRendered < tokens.ids.length) requestAnimationFrame(step);
    };
    step();
  }

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && tokenView && tokens && tokens.state === 'ready' && tokensRendered < tokens.ids.length) renderTokenBatch(MORE_TOKENS);
  }, { rootMargin: '600px' });
  observer.observe(sentinel);

  function describeToken(k) {
    const s = tokenText(k);
    const lines = [t('tokenId', (k + 1).toLocaleString(), String(tokens.ids[k]))];
    lines.push(s === '' ? '' : JSON.stringify(s));
    if (partialHex.has(k)) lines.push(t('splitChar', partialHex.get(k)));
    return lines.filter(Boolean);
  }

  function showTooltip(span) {
    const k = Number(span.dataset.i);
    if (!tokens || tokens.state !== 'ready' || !(k >= 0)) return;
    const [first, ...rest] = describeToken(k);
    tooltip.replaceChildren(el('div', { class: 'tip-title', text: first }), ...rest.map((r) => el('div', { class: 'tip-line', text: r })));
    tooltip.hidden = false;
    const r = span.getBoundingClientRect();
    const tw = tooltip.offsetWidth;
    const th = tooltip.offsetHeight;
    let x = Math.min(Math.max(4, r.left), window.innerWidth - tw - 4);
    let y = r.bottom + 4;
    if (y + th > window.innerHeight - 4) y = Math.max(4, r.top - th - 4);
    tooltip.style.left = `${x}px`;
    tooltip.style.top = `${y}px`;
    tooltip.dataset.i = String(k);
  }

  function hideTooltip() {
    tooltip.hidden = true;
    delete tooltip.dataset.i;
  }

  tokenList.addEventListener('mouseover', (e) => {
    const span = /** @type {HTMLElement | null} */ (e.target instanceof Element ? e.target.closest('.tok') : null);
    if (span) showTooltip(span);
  });
  tokenList.addEventListener('mouseleave', hideTooltip);
  tokenList.addEventListener('keydown', (e) => {
    if (!tokens || tokens.state !== 'ready' || tokensRendered === 0) return;
    let next = activeToken;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = Math.min(tokensRendered - 1, activeToken + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = Math.max(0, activeToken - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tokensRendered - 1;
    else if (e.key === 'Escape') {
      hideTooltip();
      return;
    } else return;
    e.preventDefault();
    setActiveToken(next);
  });

  function setActiveToken(k) {
    document.getElementById(`tok-${activeToken}`)?.classList.remove('active');
    activeToken = k;
    const span = document.getElementById(`tok-${k}`);
    if (!span) return;
    span.classList.add('active');
    tokenList.setAttribute('aria-activedescendant', span.id);
    span.scrollIntoView({ block: 'nearest' });
    showTooltip(span);
  }

  // ----------------------------------------------------------------- actions
  tokensToggle.addEventListener('click', () => {
    tokenView = !tokenView;
    saved.tokenView = tokenView;
    save();
    applyTokenView();
    if (tokenView && tokens && tokens.seq === textSeq && tokensRendered === 0) renderTokens();
    post({ type: 'tokenView', on: tokenView });
    afterScrollRestore();
  });
  copyButton.addEventListener('click', () => post({ type: 'copy' }));
  lockButton.addEventListener('click', () => {
    locked = !locked;
    applyLock();
    post({ type: 'lock', locked });
  });
  valuesButton.addEventListener('click', () => post({ type: 'selectValues' }));
  modelSelect.addEventListener('change', () => post({ type: 'selectModel', id: modelSelect.value }));
  moreModels.addEventListener('click', () => post({ type: 'pickModel' }));
  showMore.addEventListener('click', () => renderTokenBatch(MORE_TOKENS * 3));
  showAll.addEventListener('click', showAllTokens);

  // Scroll positions (one per view) survive updates and reloads.
  let scrollTimer;
  window.addEventListener('scroll', () => {
    if (scrollTimer) return;
    scrollTimer = setTimeout(() => {
      scrollTimer = undefined;
      saved.scroll = Object.assign({ text: 0, tokens: 0 }, saved.scroll, { [tokenView ? 'tokens' : 'text']: window.scrollY });
      save();
    }, 100);
  }, { passive: true });

  function afterScrollRestore() {
    const y = saved.scroll ? saved.scroll[tokenView ? 'tokens' : 'text'] : 0;
    if (y > 0) requestAnimationFrame(() => window.scrollTo(0, y));
  }

  /** Reports to the extension once the browser has painted (for its tests and benchmark). */
  function painted(seq, what, receivedAt) {
    requestAnimationFrame(() => setTimeout(() => {
      post({
        type: 'painted', seq, what, ms: performance.now() - receivedAt,
        textLength: text.length,
        tokensShown: tokensRendered,
        headerTokens: tokensStat.textContent || '',
      });
    }, 0));
  }

  // ----------------------------------------------------------------- messages
  window.addEventListener('message', (event) => {
    const receivedAt = performance.now();
    const parsed = protocol.parseHostMessage(event.data);
    if (!parsed.ok) {
      post({ type: 'invalid', error: String(parsed.error).slice(0, 2000) });
      return;
    }
    const msg = parsed.message;
    switch (msg.type) {
      case 'init':
        labels = msg.labels;
        document.documentElement.lang = msg.lang;
        tokenView = msg.tokenView;
        locked = msg.locked;
        saved.tokenView = tokenView;
        saved.locked = locked;
        save();
        applyLabels();
        app.removeAttribute('aria-busy');
        return;
      case 'models':
        renderModels(msg);
        return;
      case 'tokenView':
        tokenView = msg.on;
        saved.tokenView = tokenView;
        save();
        applyTokenView();
        if (tokenView && tokens && tokens.seq === textSeq && tokensRendered === 0) renderTokens();
        return;
      case 'update': {
        renderSource(msg.source);
        locked = msg.locked;
        saved.locked = locked;
        applyLock();
        busy.hidden = !msg.busy;
        if (msg.text !== undefined) renderText(msg.text);
        if (msg.empty) {
          renderText('');
          textView.replaceChildren();
          tokens = undefined;
          renderTokens();
        }
        if (textSeq !== msg.textSeq && !msg.empty) {
          textSeq = msg.textSeq;
          if (tokens && tokens.seq !== textSeq && tokenView) {
            tokens = { state: 'computing', seq: textSeq };
            renderTokens();
          }
        }
        fullLength = msg.length;
        renderTextNote();
        renderHeader(msg.header);
        renderProblems(msg.problems, msg.stale);
        if (restoreScroll && msg.text !== undefined) {
          restoreScroll = false;
          afterScrollRestore();
        }
        painted(msg.seq, 'text', receivedAt);
        return;
      }
      case 'tokens':
        if (msg.seq !== textSeq) return; // for an older text
        if (tokenView && msg.state === 'ready' && tokens && tokens.state === 'ready' && tokens.seq === msg.seq && tokensRendered > 0) {
          // The same tokens again (the view was switched off and on): they are on the page already.
          painted(msg.seq, 'tokens', receivedAt);
          return;
        }
        tokens = msg;
        if (tokenView) renderTokens();
        else tokensRendered = 0;
        if (msg.state !== 'computing') painted(msg.seq, 'tokens', receivedAt);
        return;
    }
  });

  applyTokenView();
  post({ type: 'ready' });
})();
