/**
 * The Atlassian Cloud emulator for tests: `startAtlassianEmulator()` serves the org API and the
 * SCIM provisioning API over one stateful model. See ASSUMPTIONS.md for what it assumes.
 */
export { startAtlassianEmulator, type AtlassianEmulator, type AtlassianEmulatorOptions, type EmulatorStats, type LoggedRequest } from './server.js';
export { AtlassianModel, ModelError, type Account, type ClaimStatus, type Domain, type Group, type ScimGroupRecord, type ScimUserRecord } from './model.js';
