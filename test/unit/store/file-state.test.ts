import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStateStore } from '../../../src/store/file-state.js';

describe('FileStateStore', () => {
  it('creates the file on the first write and keeps values across instances', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'orgsync-state-')), 'nested', 'p.org.json');
    const first = new FileStateStore(path);
    expect(await first.get('org:ownership')).toBeNull();
    await Promise.all([first.set('a', '1'), first.set('b', '2')]);
    await first.delete('a');
    const second = new FileStateStore(path);
    expect(await second.get('b')).toBe('2');
    expect(await second.get('a')).toBeNull();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ b: '2' });
  });

  it('names a state file that is not a JSON object of strings', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'orgsync-state-')), 'bad.json');
    await writeFile(path, '{"a": 1}');
    await expect(new FileStateStore(path).get('a')).rejects.toThrow(`${path}: state file must be a JSON object of strings`);
    await writeFile(path, '{');
    await expect(new FileStateStore(path).get('a')).rejects.toThrow(`${path}: malformed state file`);
  });
});
