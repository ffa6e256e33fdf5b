/**
 * The emulated Google Workspace of the benchmark, in its own process so the benchmark's memory and
 * CPU figures are the connector's alone. Started by `run.ts` with a JSON config as its argument;
 * reports its URLs and the service-account key over IPC, answers `stats`, exits on `close`.
 */
import { makeServiceAccount, seedWorkspace, startGoogleEmulator } from '../../test/emulators/google/index.js';

interface Config {
  users: number;
  groups: number;
  membersPerGroup: number;
  latencyMs: number;
}

type Message = { type: 'stats' } | { type: 'reset' } | { type: 'close' };

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const workspace = seedWorkspace({ users: config.users, groups: config.groups, membersPerGroup: config.membersPerGroup });
// A little of everything the source resolves: a nested group, the whole customer, an outside address.
workspace.addMember(workspace.groups[0]!, { group: workspace.groups[1]! });
workspace.addMember(workspace.groups[2]!, { customer: true });
workspace.addMember(workspace.groups[3]!, { external: 'partner@partner.example' });
const account = makeServiceAccount();
const google = await startGoogleEmulator({ workspace, accounts: [account], latencyMs: config.latencyMs });
let cpuStart = process.cpuUsage();

process.on('message', (message: Message) => {
  if (message.type === 'stats') {
    const cpu = process.cpuUsage(cpuStart);
    const { reset: _reset, ...stats } = google.stats;
    process.send!({ type: 'stats', stats: { total: stats.total, byRoute: stats.byRoute, byStatus: stats.byStatus }, cpuMs: Math.round((cpu.user + cpu.system) / 1000) });
  }
  if (message.type === 'reset') {
    google.stats.reset();
    cpuStart = process.cpuUsage();
    process.send!({ type: 'reset' });
  }
  if (message.type === 'close') void google.close().then(() => process.exit(0));
});
process.send!({ type: 'ready', rootUrl: google.rootUrl, tokenUrl: google.tokenUrl, keyFile: account.keyFile, subject: workspace.users[0]!.primaryEmail });
