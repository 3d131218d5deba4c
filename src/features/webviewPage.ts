/**
 * The HTML shell of our webviews (glossary view, preview panel): a strict Content-Security-Policy
 * (`default-src 'none'`, styles, fonts and images only from the extension, scripts only with a
 * fresh nonce from node:crypto), the codicons, the shared webview-common.css and webview-dom.js,
 * then the page's own CSS and scripts from `media/`.
 * Everything else is built by the page's script from typed messages, as text.
 */
import * as vscode from 'vscode';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function webviewPage(webview: vscode.Webview, media: vscode.Uri, page: { title: string; styles: string[]; scripts: string[] }): string {
  // node:crypto is required here, on the first page, rather than at activation (~4 ms to load).
  const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
  const nonce = randomBytes(16).toString('base64');
  const uri = (...p: string[]) => escapeHtml(webview.asWebviewUri(vscode.Uri.joinPath(media, ...p)).toString());
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const lang = vscode.env.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  const styles = [['codicons', 'codicon.css'], ['webview-common.css'], ...page.styles.map((s) => [s])].map((p) => `<link rel="stylesheet" href="${uri(...p)}">`);
  const scripts = ['webview-dom.js', ...page.scripts].map((s) => `<script nonce="${escapeHtml(nonce)}" src="${uri(s)}"></script>`);
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.join('\n')}
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
${scripts.join('\n')}
</body>
</html>`;
}
