// Shared by the webview pages (glossary view, preview panel), loaded before each page's script by
// src/features/webviewPage.ts: builds elements with textContent, never innerHTML.
// @ts-check
(function () {
  /**
   * @param {string} tag
   * @param {Record<string, string | boolean | undefined>} [attrs]
   * @param {Array<Node | string | undefined | false>} [children]
   */
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === false) continue;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'class') node.className = String(v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== undefined && c !== false) node.append(c);
    return node;
  }
  /** @param {string} name */
  const icon = (name) => el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
  // @ts-ignore: one global for the page scripts
  window.promptWorkbenchDom = Object.freeze({ el, icon });
})();
