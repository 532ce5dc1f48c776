import * as core from '@actions/core';
import type { FileLocation } from './errors.js';
import { noCommands } from './printable.js';
import { redact } from './secrets.js';

function annotation(location?: FileLocation): core.AnnotationProperties | undefined {
  return location ? { file: location.file, startLine: location.line } : undefined;
}

export const log = {
  // info is written raw (annotations and debug are escaped by @actions/core), so it alone needs the guard.
  info: (message: string): void => core.info(noCommands(redact(message))),
  debug: (message: string): void => core.debug(redact(message)),
  notice: (message: string, location?: FileLocation): void =>
    core.notice(redact(message), annotation(location)),
  warning: (message: string, location?: FileLocation): void =>
    core.warning(redact(message), annotation(location)),
  error: (message: string, location?: FileLocation): void =>
    core.error(redact(message), annotation(location)),
};

/** One collapsible log group per phase of an action. */
export function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return core.group(name, fn);
}
