/**
 * The service-account key behind the `credentials` setting.
 *
 * In: the setting (a path relative to the config file, or the JSON text itself when it starts with
 * `{`) and the config file's directory. Out: the fields the JWT flow needs. A file that cannot be
 * read, is not JSON, or is not a service-account key is a config error naming the file (or
 * "the JSON text"), never quoting its content: the file holds a private key.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { configError, messageOf } from '../../src/errors.js';

export interface ServiceAccountKey {
  clientEmail: string;
  privateKey: string;
  /** The key's id, sent as the JWT's `kid` when present. */
  privateKeyId: string | undefined;
  /** The numeric client id the Admin console authorizes for domain-wide delegation. */
  clientId: string | undefined;
}

const WHERE = 'google source: credentials';

/** Read and check the key; `value` is the validated `credentials` setting. */
export function loadServiceAccountKey(value: string, baseDir: string): ServiceAccountKey {
  if (value.startsWith('{')) return fromJson(value, 'the JSON text');
  const path = isAbsolute(value) ? value : resolve(baseDir, value);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw configError(`${WHERE}: ${code === 'ENOENT' ? `no such key file: ${path}` : `cannot read key file ${path}: ${messageOf(error)}`}`, error);
  }
  return fromJson(text, path);
}

function fromJson(text: string, what: string): ServiceAccountKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the fault: it could be part of a private key.
    throw configError(`${WHERE}: ${what} is not JSON; expected a service-account key (JSON) from the Google Cloud console`);
  }
  const key = (parsed ?? {}) as Record<string, unknown>;
  const field = (name: string) => (typeof key[name] === 'string' && key[name] !== '' ? (key[name] as string) : undefined);
  if (typeof parsed !== 'object' || Array.isArray(parsed) || field('type') !== 'service_account') {
    throw configError(`${WHERE}: ${what} is not a service-account key ("type": "service_account" expected)`);
  }
  const clientEmail = field('client_email');
  const privateKey = field('private_key');
  if (clientEmail === undefined) throw configError(`${WHERE}: ${what} has no "client_email"`);
  if (privateKey === undefined || !privateKey.includes('PRIVATE KEY-----')) throw configError(`${WHERE}: ${what} has no PEM "private_key"`);
  return { clientEmail, privateKey, privateKeyId: field('private_key_id'), clientId: field('client_id') };
}
