import { ActionError } from '@forge-actions/action-kit/errors';
import { constraintViolations } from './constraints.js';
import { parseWheelName, wheelRank } from './names.js';
import type { WheelRequest } from './request.js';
import { supportedTags } from './target.js';

/**
 * The last word before anything reaches wheel-dir, judged by the files themselves whatever a resolver
 * said: each is a wheel for the target, each project is there once (the seed's numpy 1 and numpy 2
 * side by side), no version breaks a constraint. All problems make one line; nothing is written.
 */
export function checkWheels(
  files: string[],
  request: Pick<WheelRequest, 'target' | 'constraints' | 'wheelDir'>,
): void {
  const supported = supportedTags(request.target);
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const pinned: Array<{ name: string; version: string; file: string }> = [];
  for (const file of files) {
    const parsed = parseWheelName(file);
    if (!parsed || wheelRank(parsed, supported) === undefined) {
      problems.push(`${file} is not a wheel for ${request.target.label}`);
      continue;
    }
    const other = seen.get(parsed.name);
    if (other) problems.push(`${other} and ${file} are two versions of ${parsed.name}`);
    seen.set(parsed.name, file);
    pinned.push({ name: parsed.name, version: parsed.version, file });
  }
  problems.push(...constraintViolations(pinned, request.constraints));
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : '';
    throw new ActionError(`${problems[0]}${more}; nothing was written to ${request.wheelDir}`);
  }
}
