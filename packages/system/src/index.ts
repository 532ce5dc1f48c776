export { type CommandResult, type RunOptions, runCommand, which } from './command.js';
export { checkFolder } from './folders.js';
export { sha256File } from './hash.js';
export { ensureTool, type ToolRequest } from './tools.js';
