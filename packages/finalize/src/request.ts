// finalize-release's inputs, read once and checked before the first request, and what it reports.
import { formatBytes } from '@forge-actions/action-kit/bytes';
import type { InputReader } from '@forge-actions/action-kit/contract';
import { ActionError } from '@forge-actions/action-kit/errors';
import { type ForgeInputs, readForgeInputs } from '@forge-actions/forge';
import { type MakeLatestChoice, type ReleaseTarget, readReleaseTarget } from '@forge-actions/release';
import type { FinalizeOptions, FinalizeReport } from './finalize.js';

export interface FinalizeRequest {
  forge: ForgeInputs & { retries: number; http: { timeoutMs: number } };
  target: ReleaseTarget;
  options: Pick<FinalizeOptions, 'expect' | 'checksums' | 'publish' | 'makeLatest' | 'allowMissing'>;
}

export function readFinalizeRequest(inputs: InputReader): FinalizeRequest {
  const forgeInputs = readForgeInputs(inputs);
  const target = readReleaseTarget(inputs);
  const expect = inputs.list('expect');
  const checksums = inputs.enum('checksums', ['none', 'sha256'] as const);
  const publish = inputs.boolean('publish');
  const makeLatest = inputs.enum<MakeLatestChoice>('make-latest', ['auto', 'true', 'false']);
  const allowMissing = inputs.boolean('allow-missing');
  const retries = inputs.wholeNumber('retries');
  const timeoutMs = inputs.positiveInt('request-timeout') * 1000;
  return {
    forge: { ...forgeInputs, retries, http: { timeoutMs } },
    target,
    options: { expect, checksums, publish, makeLatest, allowMissing },
  };
}

/** The step summary: title, header and one row per asset and per missing name. */
export function finalizeSummary(report: FinalizeReport): [string, string[], string[][]] {
  return [
    `Release ${report.release.tagName}: ${report.release.draft ? 'draft' : 'published'}`,
    ['file', 'size', 'sha256'],
    [
      ...report.assets.map((a) =>
        a.action === 'external'
          ? [a.name, 'external link', '']
          : [`[${a.name}](${a.url})`, formatBytes(a.size), a.sha256 ? `\`${a.sha256}\`` : ''],
      ),
      ...report.missing.map((name) => [name, 'missing', '']),
    ],
  ];
}

/** The action's outputs; throws (with them) when the release was left blocked. */
export function finalizeOutcome(report: FinalizeReport) {
  const outputs = {
    'release-id': report.release.id,
    'html-url': report.release.htmlUrl,
    published: !report.release.draft,
    missing: report.missing.join('\n'),
    assets: JSON.stringify(report.assets),
  };
  if (report.blocked) throw new ActionError(report.blocked, undefined, outputs);
  return outputs;
}
