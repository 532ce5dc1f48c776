export { ForgeClient, type MakeLatest, type NewRelease, type ReleasePatch } from './client.js';
export { type ConnectOptions, connectForge, type ForgeInputs, readForgeInputs } from './connect.js';
export { AssetConflictError, ForgeError, isLostCreate } from './errors.js';
export type { Asset, Release, ReleaseRef } from './models.js';
export { parseGiteaVersion } from './version.js';
