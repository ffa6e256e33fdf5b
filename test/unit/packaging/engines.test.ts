/**
 * Every package `npm ci` installs accepts the Node versions `engines` declares, so an install on
 * the oldest supported Node prints no EBADENGINE warning (issue 11, item 15). Read from the lock
 * file, which records each installed package's `engines`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../cli/helpers.js';

type Locked = { version?: string; engines?: { node?: string } | string[]; dev?: boolean };

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, Locked> };

describe('engines', () => {
  it('every locked package supports the oldest Node the project declares', () => {
    const oldest = semver.minVersion(manifest.engines.node)!.version;
    const refused = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.engines && !Array.isArray(entry.engines) && entry.engines.node)
      .filter(([, entry]) => !semver.satisfies(oldest, (entry.engines as { node: string }).node))
      .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${(entry.engines as { node: string }).node}`);
    expect(refused).toEqual([]);
  });

  it('the Dockerfile runs a Node the engines accept', () => {
    const from = /^FROM node:(\d+)/m.exec(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));
    expect(from).not.toBeNull();
    expect(semver.intersects(`${from![1]}.x`, manifest.engines.node)).toBe(true);
  });
});
