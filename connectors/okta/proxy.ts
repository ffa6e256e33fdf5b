/**
 * Whether a request should bypass the HTTPS proxy the Okta SDK picks up from `HTTPS_PROXY`.
 *
 * The SDK sends every call through that proxy, loopback included. Loopback hosts and hosts listed
 * in `NO_PROXY` / `no_proxy` (comma separated; `*` for all; `.acme.com` or `acme.com` for a
 * domain and its subdomains; an optional `:port`) go direct.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function bypassesProxy(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const target = new URL(url);
  const host = target.hostname.toLowerCase();
  if (LOOPBACK.has(host) || host.startsWith('127.')) return true;
  const list = env.NO_PROXY ?? env.no_proxy ?? '';
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return list
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const [name, entryPort] = entry.split(/:(?=\d+$)/);
      if (entryPort && entryPort !== port) return false;
      const domain = (name ?? '').replace(/^\*?\./, '');
      return host === domain || host.endsWith(`.${domain}`);
    });
}
