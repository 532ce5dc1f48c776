export { type CommandResult, childEnvironment, runCommand, which } from './command.js';
export { checkFile, checkFolder } from './folders.js';
export { sha256File } from './hash.js';
export { ensureTool } from './tools.js';
