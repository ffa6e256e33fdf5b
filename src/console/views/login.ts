/**
 * The sign-in page (also the body of every 401 a browser gets) and the error page. In: an
 * optional message and where to go after signing in. Out: the HTML document.
 */
import type { Principal } from '../auth/guard.js';
import type { HttpFailure } from '../errors.js';
import { html } from './html.js';
import { page } from './layout.js';

const SAME_SITE = 'http://c.invalid';

function hasControlOrBackslash(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}

/**
 * Only same-site paths may be a destination after sign-in. In: the requested `next`. Out: its path
 * and query as a URL parser resolves them against this site, or `/` when it names another origin,
 * resolves to a `//` path, or holds a control character or a backslash (which browsers drop or
 * read as `/`).
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || hasControlOrBackslash(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, SAME_SITE);
  } catch {
    return '/';
  }
  const path = url.pathname + url.search;
  return url.origin === SAME_SITE && !path.startsWith('//') ? path : '/';
}

export function loginPage(options: { message?: string; next?: string; name?: string }): string {
  const body = html`<section class="card narrow">
  <h1>Sign in</h1>
  <p class="muted">Your name is recorded with every plan you approve or reject and every run you ask for.</p>
  ${options.message ? html`<p class="alert danger" role="alert">${options.message}</p>` : ''}
  <form method="post" action="/login" class="stack">
    <input type="hidden" name="next" value="${safeNext(options.next)}">
    <label>Your name <input name="name" autocomplete="username" required maxlength="64" value="${options.name ?? ''}"></label>
    <label>Console token <input name="token" type="password" autocomplete="current-password" required></label>
    <button class="primary">Sign in</button>
  </form>
</section>`;
  return page({ title: 'Sign in', section: null, principal: null }, body);
}

export function errorPage(failure: HttpFailure, signedIn: Principal | null): string {
  const body = html`<section class="card narrow">
  <h1>${failure.status === 404 ? 'Not found' : failure.status === 403 ? 'Refused' : 'Something went wrong'}</h1>
  <p class="alert ${failure.status >= 500 ? 'danger' : 'warn'}">${failure.message}</p>
  <p><a href="/">Back to the profiles</a></p>
</section>`;
  return page({ title: `Error ${failure.status}`, section: null, principal: signedIn }, body);
}
