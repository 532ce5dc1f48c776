// fetch-embedded-python's inputs and what it reports: the request read from the action's inputs, the
// `._pth` line for the log, the step summary and the outputs.
import type { InputReader } from '@forge-actions/action-kit/contract';
import { extractLimitsFromInputs } from '@forge-actions/archive/extract';
import type { FetchResult } from './fetch.js';
import type { PthPatchResult } from './pth.js';
import { checkFetchInputs, type FetchRequest } from './request.js';

export function readFetchRequest(inputs: InputReader, workspace: string): FetchRequest {
  return checkFetchInputs({
    pythonVersion: inputs.string('python-version'),
    pythonVersionFile: inputs.string('python-version-file'),
    arch: inputs.string('arch'),
    destination: inputs.string('destination'),
    mirror: inputs.urlText('mirror'),
    sha256: inputs.string('sha256'),
    sitePackages: inputs.boolean('site-packages'),
    extraPaths: inputs.list('extra-paths'),
    tkinter: inputs.boolean('tkinter'),
    cache: inputs.boolean('cache'),
    workspace,
    extractLimits: extractLimitsFromInputs((name) => inputs.positiveInt(name)),
  });
}

/** What the `._pth` patch did, in one phrase. */
export function pthSummary(pth: PthPatchResult): string {
  return `${pth.added.length > 0 ? `added ${pth.added.join(', ')}` : 'no path added'}; import site ${pth.importSite}`;
}

/** The step summary: title, header and rows. */
export function fetchSummary(request: FetchRequest, result: FetchResult): [string, string[], string[][]] {
  return [
    `Embedded Python ${result.version.text} (${request.arch})`,
    ['item', 'value'],
    [
      ['folder', result.pythonDir],
      ['source', result.cacheHit ? 'tool cache' : result.zipUrl],
      ['zip sha256', result.zipSha256 || 'unknown'],
      ['._pth', pthSummary(result.pth)],
      ['tkinter', result.tkinter.length > 0 ? result.tkinter.join(', ') : 'no'],
    ],
  ];
}

export function fetchOutputs(result: FetchResult) {
  return {
    'python-version': result.version.text,
    'python-dir': result.pythonDir,
    'pth-file': result.pthFile,
    'site-packages-dir': result.sitePackagesDir,
    'cache-hit': result.cacheHit,
  };
}
