/**
 * LDAP read benchmark: the `ldap` source (real ldapts client) against a real slapd on loopback,
 * loaded with 20,000 users in nested OUs and 500 groups (`test/integration/ldap/fixtures.ts`).
 *
 *   node --import tsx bench/ldap-read/run.ts [--users 20000] [--groups 500] [--group-size 40]
 *        [--page-size 500] [--runs 3]
 *
 * Prints, per full read: wall time, requests and pages, entries, this process's CPU time and the
 * server's (from /proc), and peak RSS; then one read split into its phases: the searches (network,
 * slapd, ldapts decoding) and orgsync's own mapping (DN matching, snapshot). "Bound by the server"
 * reads as: slapd CPU + wire time dominate, orgsync's mapping is a small share of the wall time.
 * Loading the fixture (slapadd) is not timed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { LdapClient } from '../../connectors/ldap/client.js';
import { connectionOf, LdapSource } from '../../connectors/ldap/index.js';
import { toSnapshot } from '../../connectors/ldap/map.js';
import { readDirectory } from '../../connectors/ldap/read.js';
import { ldapSettingsSchema } from '../../connectors/ldap/settings.js';
import { saveBaseline } from '../../connectors/ldap/state.js';
import { policySchema } from '../../src/model/policy.js';
import { MemoryStateStore } from '../../src/store/types.js';
import { openldapDirectory, READER_PASSWORD, readerDn } from '../../test/integration/ldap/fixtures.js';
import { startSlapd } from '../../test/integration/ldap/slapd.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '20000' },
    groups: { type: 'string', default: '500' },
    'group-size': { type: 'string', default: '40' },
    'page-size': { type: 'string', default: '500' },
    runs: { type: 'string', default: '3' },
  },
});

const SPECIAL_GROUPS = 4;
const users = Number(args.users);
const groups = Number(args.groups);

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

function peakRssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

async function main(): Promise<void> {
  console.log(`generating ${users} users and ${groups} groups ...`);
  const fixture = openldapDirectory({ users, extraGroups: Math.max(0, groups - SPECIAL_GROUPS), groupSize: Number(args['group-size']) });
  const server = await startSlapd({ suffix: fixture.suffix, ldif: fixture.ldif });
  try {
    const settings = ldapSettingsSchema.parse({ url: server.url, bindDn: readerDn(fixture.suffix), bindPassword: READER_PASSWORD, userBase: fixture.userBase, groupBase: fixture.groupBase, pageSize: Number(args['page-size']) });
    const policy = policySchema.parse({});
    const log = pino({ level: 'silent' });
    console.log(`slapd ${server.url} (pid ${server.pid}), page size ${settings.pageSize}`);
    for (let run = 1; run <= Number(args.runs); run += 1) {
      const source = new LdapSource(settings, { baseDir: process.cwd() });
      const rss = peakRssSampler();
      const cpu = process.cpuUsage();
      const serverCpu = processCpuMs(server.pid);
      const started = performance.now();
      const snapshot = await source.read({ policy, state: new MemoryStateStore(), full: true, log });
      const wall = performance.now() - started;
      const own = cpuMs(process.cpuUsage(cpu));
      const slapd = processCpuMs(server.pid) - serverCpu;
      const stats = source.lastStats!;
      console.log(
        `full read ${run}: ${wall.toFixed(0)} ms wall, ${stats.requests} requests (${stats.pages} pages), ${stats.entries} entries -> ${snapshot.users.length} users, ${snapshot.groups.length} groups; ` +
          `client CPU ${own.toFixed(0)} ms (${((own / wall) * 100).toFixed(0)}% of wall), slapd CPU ${slapd.toFixed(0)} ms; peak RSS ${mb(rss.stop())}`,
      );
    }
    const client = new LdapClient(connectionOf(settings, process.cwd()));
    await client.open();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const profile = new LdapSource(settings, { baseDir: process.cwd() }).profile;
    const raw = await readDirectory(client, profile);
    const t1 = performance.now();
    const searchCpu = cpuMs(process.cpuUsage(cpu0));
    await client.close();
    const cpu1 = process.cpuUsage();
    const snapshot = toSnapshot({ ...raw, nested: 'flatten', complete: true, issues: [] }, profile);
    const t2 = performance.now();
    const mapCpu = cpuMs(process.cpuUsage(cpu1));
    const cpu2 = process.cpuUsage();
    await saveBaseline(new MemoryStateStore(), 'bench', { cursor: { kind: 'timestamp', value: '20250101000000Z' }, users: raw.users, groups: raw.groups });
    const t3 = performance.now();
    const saveCpu = cpuMs(process.cpuUsage(cpu2));
    const clientCpu = searchCpu + mapCpu + saveCpu;
    const share = (part: number) => `${((part / clientCpu) * 100).toFixed(0)}%`;
    console.log(
      `split (${snapshot.users.length} users): searches ${(t1 - t0).toFixed(0)} ms wall, client CPU ${searchCpu.toFixed(0)} ms (ldapts decoding, ${share(searchCpu)}); ` +
        `orgsync mapping ${(t2 - t1).toFixed(0)} ms wall, ${mapCpu.toFixed(0)} ms CPU (${share(mapCpu)}); baseline for incremental reads ${(t3 - t2).toFixed(0)} ms wall, ${saveCpu.toFixed(0)} ms CPU (${share(saveCpu)})`,
    );
    console.log(`orgsync's own code (mapping + baseline): ${share(mapCpu + saveCpu)} of the client's CPU, ${(((t3 - t1) / (t3 - t0)) * 100).toFixed(0)}% of the wall time of this read`);
  } finally {
    await server.close();
  }
}

await main();
