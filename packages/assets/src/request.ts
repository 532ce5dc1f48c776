// upload-asset-dedup's inputs, read once and checked (files found) before the first request, and what the
// action reports of an upload: summary rows, outputs, and the failure that fails the step.
import { formatBytes } from '@forge-actions/action-kit/bytes';
import type { InputReader } from '@forge-actions/action-kit/contract';
import { ActionError, InputError } from '@forge-actions/action-kit/errors';
import { type ForgeInputs, readForgeInputs } from '@forge-actions/forge';
import { type ReleaseTarget, readReleaseTarget } from '@forge-actions/release';
import mime from 'mime-types';
import { shownLink } from './external-links.js';
import { type LocalFile, selectFiles } from './select-files.js';
import type { UploadOptions, UploadReport } from './upload-assets.js';

export interface UploadRequest {
  forge: ForgeInputs & { retries: number; http: { timeoutMs: number } };
  target: ReleaseTarget;
  files: LocalFile[];
  options: Pick<
    UploadOptions,
    | 'onDuplicate'
    | 'skipIdentical'
    | 'concurrency'
    | 'checksums'
    | 'replaceExternal'
    | 'updateBody'
    | 'contentTypeFor'
  >;
}

export async function readUploadRequest(inputs: InputReader, workspace: string): Promise<UploadRequest> {
  const forgeInputs = readForgeInputs(inputs);
  const target = readReleaseTarget(inputs);
  const patterns = inputs.list('files');
  if (patterns.length === 0) throw new InputError('files', 'is required and was not set');
  const onDuplicate = inputs.enum('on-duplicate', ['replace', 'skip', 'fail'] as const);
  const skipIdentical = inputs.boolean('skip-identical');
  const failOnNoFiles = inputs.boolean('fail-on-no-files');
  const concurrency = inputs.positiveInt('concurrency');
  const retries = inputs.wholeNumber('retries');
  const timeoutMs = inputs.positiveInt('request-timeout') * 1000;
  const checksums = inputs.enum('checksums', ['none', 'sha256'] as const);
  const replaceExternal = inputs.boolean('replace-external');
  const contentType = inputs.string('content-type');
  const updateBody = inputs.boolean('update-body');
  const files = await selectFiles(patterns, workspace, failOnNoFiles);
  return {
    forge: { ...forgeInputs, retries, http: { timeoutMs } },
    target,
    files,
    options: {
      onDuplicate,
      skipIdentical,
      concurrency,
      checksums,
      replaceExternal,
      updateBody,
      contentTypeFor: (name) => contentType || mime.lookup(name) || 'application/octet-stream',
    },
  };
}

/** The step summary's header and rows: one row per file, failures included, then the external links left alone. */
export function uploadSummary(report: UploadReport): [string[], string[][]] {
  return [
    ['file', 'action', 'size', 'sha256'],
    [
      ...report.results.map((r) => [
        `[${r.name}](${r.url})`,
        r.action,
        formatBytes(r.size),
        `\`${r.sha256}\``,
      ]),
      ...report.failures.map((f) => [f.name, `failed: ${f.error}`, '', '']),
      ...report.external.map((link) => [
        link.name,
        `external link to ${shownLink(link)}, left alone`,
        '',
        '',
      ]),
    ],
  ];
}

/** The action's outputs; throws (with them) when a file failed. */
export function uploadOutcome(report: UploadReport, fileCount: number) {
  const count = (action: string) => report.results.filter((r) => r.action === action).length;
  const outputs = {
    assets: JSON.stringify(report.results),
    uploaded: count('uploaded'),
    replaced: count('replaced'),
    skipped: count('skipped'),
  };
  if (report.failures.length > 0) {
    const names = report.failures.map((f) => f.name).join(', ');
    throw new ActionError(
      `${report.failures.length} of ${fileCount} file(s) failed: ${names}`,
      undefined,
      outputs,
    );
  }
  return outputs;
}
