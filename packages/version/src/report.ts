// What resolve-version reports: its outputs from a resolution, and the step summary's rows.
import type { Resolution } from './resolve.js';
import type { StampResult } from './stamp.js';

export function resolutionOutputs(resolved: Resolution) {
  return {
    version: resolved.raw,
    'version-clean': resolved.clean,
    pep440: resolved.pep440,
    semver: resolved.semver,
    prerelease: resolved.prerelease,
    source: resolved.source,
    'docker-tags': resolved.dockerTags.join('\n'),
  };
}

/** One row per output (lists on one line), then one per stamped file. */
export function resolutionSummaryRows(
  outputs: ReturnType<typeof resolutionOutputs>,
  stamped: StampResult[],
): Array<[string, string]> {
  return [
    ...Object.entries(outputs).map(([name, value]): [string, string] => [
      name,
      String(value).replace(/\n/g, ', '),
    ]),
    ...stamped.map((r): [string, string] => [
      `stamped ${r.file}`,
      r.changed ? r.value : `${r.value} (unchanged)`,
    ]),
  ];
}

/** The log line for one stamped file. */
export function stampLine(r: StampResult): string {
  const what = r.changed ? `${r.previous.join(', ')} → ${r.value}` : `already ${r.value}`;
  return `${r.file} ${r.fields.join(', ')}: ${what}`;
}
