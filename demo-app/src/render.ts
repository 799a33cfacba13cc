/** Server-side HTML. Every key and value goes through `escapeHtml`; values start masked. */
import type { Category, Item, View, ViewName } from './inventory.ts';

const MASK = '••••••••';

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function itemId(item: Item): string {
  return `${item.source}:${item.path ?? item.key}`;
}

const badges: Record<Category, string> = {
  secret: 'SECRET',
  config: 'CONFIG',
  system: 'SYSTEM',
  file: 'FILE',
};
const titles: Record<ViewName, string> = {
  env: 'Environment variables',
  files: 'Mounted files',
  combined: 'Environment variables and mounted files',
};

function card(item: Item): string {
  const origin =
    item.source === 'file' ? `Mounted at ${escapeHtml(item.path ?? '')}` : 'Environment variable';
  const body = item.error
    ? `<pre class="value error">${escapeHtml(item.error)}</pre>`
    : `<pre class="value masked" data-id="${escapeHtml(itemId(item))}">${MASK}</pre>
      <button type="button" class="reveal" data-id="${escapeHtml(itemId(item))}">Reveal</button>`;
  return `<article class="card ${item.category}" data-category="${item.category}">
      <header><span class="badge">${badges[item.category]}</span><h3 class="key">${escapeHtml(item.key)}</h3></header>
      ${body}
      <footer>${origin}</footer>
    </article>`;
}

function stats(view: View): string {
  const cells = (['secret', 'config', 'file', 'system'] as const).map(
    (c) =>
      `<div class="stat ${c}"><span class="stat-value" data-stat="${c}">${view.counts[c]}</span><span class="stat-label">${badges[c]}</span></div>`,
  );
  return `<section class="stats" aria-label="counts">${cells.join('')}<div class="stat total"><span class="stat-value" data-stat="total">${view.items.length}</span><span class="stat-label">TOTAL</span></div></section>`;
}

function layout(title: string, main: string, view?: ViewName): string {
  const nav = (['env', 'files', 'combined'] as const)
    .map((v) => `<a href="/${v}"${v === view ? ' aria-current="page"' : ''}>${v}</a>`)
    .join(' ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Ferry demo</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body${view ? ` data-view="${view}"` : ''}>
<nav><a href="/" class="brand">Ferry demo</a> ${nav}</nav>
<main>${main}</main>
</body>
</html>
`;
}

export function renderView(view: View): string {
  const empty =
    view.items.length === 0
      ? '<p class="info">Nothing to show yet. Expected files: /etc/secrets/tls.crt, /etc/secrets/tls.key, /etc/config/database.conf.</p>'
      : '';
  const main = `<h1>${titles[view.name]}</h1>
<p class="hint">Values are masked. Use Reveal to show one; the page refreshes itself when a value changes.
<button type="button" id="reveal-all">Reveal all</button></p>
<div id="view" data-digest="${view.digest}">
${stats(view)}
<section class="cards">${view.items.map(card).join('\n')}</section>
${empty}
</div>`;
  return layout(titles[view.name], main, view.name);
}

export function renderHome(): string {
  return layout(
    'Home',
    `<h1>Ferry demo app</h1>
<p>This app shows the configuration that Ferry syncs from a secret store into its environment and files.</p>
<ul>
<li><a href="/env">Environment variables</a>: values from <code>envFrom</code> Secrets</li>
<li><a href="/files">Mounted files</a>: templated files under the secrets and config directories</li>
<li><a href="/combined">Both</a></li>
</ul>`,
  );
}
