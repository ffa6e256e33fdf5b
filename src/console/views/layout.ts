/**
 * The frame of every console page: head (stylesheet, script, the CSRF token in a meta tag),
 * a header with the navigation and who is signed in, and the page body. In: the page's title,
 * the principal and the body. Out: the HTML document as text.
 */
import type { Principal } from '../auth/guard.js';
import { html, type Html } from './html.js';

export type Section = 'profiles' | 'plans' | null;

export interface PageFrame {
  title: string;
  section: Section;
  principal: Principal | null;
}

export function page(frame: PageFrame, body: Html): string {
  const p = frame.principal;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · orgsync</title>
${p?.csrf ? html`<meta name="csrf-token" content="${p.csrf}">` : ''}
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/console.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/">orgsync <span>console</span></a>
  ${p ? nav(frame.section) : ''}
  ${p ? who(p) : ''}
</header>
<main>
${body}
</main>
</body>
</html>
`.value;
}

function nav(section: Section): Html {
  const link = (href: string, label: string, on: boolean) => html`<a href="${href}"${on ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<nav>${link('/', 'Profiles', section === 'profiles')}${link('/plans', 'Plans', section === 'plans')}${link('/queues', 'Queues', false)}</nav>`;
}

function who(p: Principal): Html {
  const signOut = p.via === 'session' ? html`<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${p.csrf}"><button class="link">Sign out</button></form>` : '';
  return html`<div class="who"><span title="recorded with your decisions">${p.name}</span>${signOut}</div>`;
}
