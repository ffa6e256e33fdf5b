/** Settings and key-file checks of the `google` source: every problem names its key or file. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServiceAccountKey } from '../../../connectors/google/credentials.js';
import { googleSettingsSchema, listingScope } from '../../../connectors/google/settings.js';
import { validate } from '../../../src/config/validate.js';
import { account, tempDir } from './helpers.js';

const base = { credentials: 'key.json', subject: 'admin@acme.example' };
const problem = (value: unknown) => {
  try {
    validate(googleSettingsSchema, value, 'orgsync.yaml', 'source');
  } catch (error) {
    return (error as Error).message;
  }
  return 'valid';
};

describe('google settings', () => {
  it('fills in the defaults', () => {
    const settings = googleSettingsSchema.parse(base);
    expect(settings).toEqual({ ...base, rootUrl: 'https://admin.googleapis.com', tokenUrl: 'https://oauth2.googleapis.com/token', concurrency: 4 });
    expect(listingScope(settings)).toEqual({ customer: 'my_customer' });
    expect(listingScope(googleSettingsSchema.parse({ ...base, domain: 'acme.example' }))).toEqual({ domain: 'acme.example' });
  });

  it('names the key at fault', () => {
    expect(problem({ subject: 'admin@acme.example' })).toMatch(/source\.credentials: /);
    expect(problem({ ...base, subject: 'admin' })).toMatch(/source\.subject: must be the address of a Workspace admin/);
    expect(problem({ ...base, customer: 'C01', domain: 'acme.example' })).toMatch(/source\.domain: give customer or domain, not both/);
    expect(problem({ ...base, rootUrl: 'ftp://x' })).toMatch(/source\.rootUrl: must be an http\(s\) URL/);
    expect(problem({ ...base, tokenUrl: 'https://user:pw@host/token' })).toMatch(/source\.tokenUrl: must not carry a user name or password/);
    expect(problem({ ...base, concurrency: 33 })).toMatch(/source\.concurrency: /);
    expect(problem({ ...base, tenantId: 'x' })).toMatch(/unknown key source\.tenantId/);
  });

  it('strips trailing slashes from URLs', () => {
    expect(googleSettingsSchema.parse({ ...base, rootUrl: 'http://127.0.0.1:9/', tokenUrl: 'http://127.0.0.1:9/token/' })).toMatchObject({ rootUrl: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9/token' });
  });
});

describe('google service-account key', () => {
  const keyFile = () => account().keyFile;

  it('reads a key file relative to the config directory, or the JSON text itself', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'key.json'), JSON.stringify(keyFile()));
    const fromFile = loadServiceAccountKey('key.json', dir);
    expect(fromFile).toEqual({ clientEmail: keyFile().client_email, privateKey: keyFile().private_key, privateKeyId: keyFile().private_key_id, clientId: keyFile().client_id });
    expect(loadServiceAccountKey(JSON.stringify(keyFile()), '/nowhere')).toEqual(fromFile);
  });

  it('refuses what is no service-account key, naming the file and never quoting it', () => {
    const dir = tempDir();
    const path = join(dir, 'key.json');
    const refusal = (content: string) => {
      writeFileSync(path, content);
      try {
        loadServiceAccountKey('key.json', dir);
      } catch (error) {
        return (error as Error & { code: string }).code + ' ' + (error as Error).message;
      }
      return 'accepted';
    };
    expect(refusal('{"private_key": "-----BEGIN PRIVATE KEY-----\\nsecretbits')).toBe(`config google source: credentials: ${path} is not JSON; expected a service-account key (JSON) from the Google Cloud console`);
    expect(refusal(JSON.stringify({ ...keyFile(), type: 'authorized_user' }))).toMatch(/is not a service-account key/);
    expect(refusal(JSON.stringify({ ...keyFile(), client_email: undefined }))).toMatch(/has no "client_email"/);
    expect(refusal(JSON.stringify({ ...keyFile(), private_key: 'x' }))).toMatch(/has no PEM "private_key"/);
    expect(() => loadServiceAccountKey('missing.json', dir)).toThrow(`google source: credentials: no such key file: ${join(dir, 'missing.json')}`);
    expect(() => loadServiceAccountKey('{not json', dir)).toThrow('google source: credentials: the JSON text is not JSON');
  });
});
