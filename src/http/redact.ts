/**
 * The configured secrets (tokens, keys, passwords), and the one function that takes them out of
 * text that leaves the process: servers' error bodies (which may echo an `Authorization` header),
 * error messages and log lines.
 *
 * Secrets are registered once, when the config is loaded (`collectSecrets`), and live for the
 * process. Values shorter than `MIN_SECRET_LENGTH` are not registered: redacting "abc" everywhere
 * would garble messages and protect nothing.
 */
export const REDACTED = '[redacted]';
export const MIN_SECRET_LENGTH = 6;

const secrets = new Set<string>();
let ordered: string[] = [];

/** Remember a secret value (and its JSON-escaped form, as it appears inside a log line). */
export function registerSecret(value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) secrets.add(escaped);
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** `text` with every registered secret, and every value in `extra` (e.g. the headers of this request), replaced. */
export function redactSecrets(text: string, extra: readonly string[] = []): string {
  let out = text;
  for (const value of extra) {
    if (value.length >= MIN_SECRET_LENGTH) out = out.split(value).join(REDACTED);
  }
  for (const value of ordered) out = out.split(value).join(REDACTED);
  return out;
}

/** Keys whose values are secrets wherever they appear in a config (matched on the key's end, any case). */
const SECRET_KEY = /(token|secret|password|apikey|privatekey|authorization)$/i;

/**
 * Register every secret in a config object: values under secret-looking keys, and the password of
 * any URL (a redis URL may carry one).
 */
export function collectSecrets(value: unknown, key = ''): void {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key)) registerSecret(value);
    registerUrlPassword(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, key);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectSecrets(v, k);
  }
}

/** The password of a URL with credentials, decoded and as written. */
export function registerUrlPassword(text: string): void {
  if (!text.includes('@') || !URL.canParse(text)) return;
  const { password } = new URL(text);
  if (password === '') return;
  registerSecret(password);
  try {
    registerSecret(decodeURIComponent(password));
  } catch {
    // not percent-encoded text: the form as written is registered
  }
}
