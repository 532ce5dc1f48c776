import { randomBytes } from 'node:crypto';

// On GitHub a replacement is uploaded under a temporary name first. The name carries its target, so
// a later run can tell its own leftovers (from a killed job) from anything else on the release, and
// uses only characters GitHub keeps as they are.
const MARK = '.forge-partial-';
const PARTIAL = /^(.+)\.forge-partial-[0-9a-f]{8}$/;

export function partialName(name: string): string {
  return `${name}${MARK}${randomBytes(4).toString('hex')}`;
}

/** The name a temporary asset was meant to become, or undefined for an ordinary asset. */
export function targetOfPartial(name: string): string | undefined {
  return PARTIAL.exec(name)?.[1];
}
