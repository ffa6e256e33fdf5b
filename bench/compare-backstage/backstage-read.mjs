/**
 * Backstage's Microsoft Graph org reader on its own: `readMicrosoftGraphOrg` with a
 * `MicrosoftGraphClient`, as installed by `run.ts` into a temporary folder (argv[2]), against the
 * Graph base URL argv[3] with the bearer token argv[4]. Photos are not loaded (orgsync reads none).
 * Prints one JSON line with the entity counts. Plain JavaScript, so no compiler starts with it.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [peerDir, baseUrl, token] = process.argv.slice(2);
const require = createRequire(join(peerDir, 'package.json'));
const { MicrosoftGraphClient, readMicrosoftGraphOrg } = require('@backstage/plugin-catalog-backend-module-msgraph');

const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
const quiet = () => undefined;
const logger = { info: quiet, warn: quiet, error: quiet, debug: quiet, child: () => logger };
const client = new MicrosoftGraphClient(baseUrl, credential);
const { users, groups } = await readMicrosoftGraphOrg(client, 'bench', { logger, loadUserPhotos: false });
process.stdout.write(`${JSON.stringify({ users: users.length, groups: groups.length })}\n`);
