// create-release's inputs, read once and checked before the first request, and what it reports.
import type { InputReader } from '@forge-actions/action-kit/contract';
import { type ForgeInputs, type Release, readForgeInputs } from '@forge-actions/forge';
import type { OnExisting, WantedRelease } from './ensure-release.js';
import type { MakeLatestChoice } from './make-latest.js';
import { createReleaseRequest } from './request.js';

export interface CreateRequest {
  forge: ForgeInputs & { http: { timeoutMs: number } };
  wanted: WantedRelease;
  onExisting: OnExisting;
  makeLatest: MakeLatestChoice;
}

export function readCreateRequest(inputs: InputReader, workspace: string): CreateRequest {
  const forgeInputs = readForgeInputs(inputs);
  const wanted = createReleaseRequest({
    tag: inputs.string('tag'),
    name: inputs.string('name'),
    body: inputs.text('body'),
    notesFile: inputs.string('notes-file'),
    notesFileExplicit: !inputs.isDefault('notes-file'),
    downloads: inputs.list('downloads'),
    prerelease: inputs.enum('prerelease', ['auto', 'true', 'false'] as const),
    prereleasePattern: inputs.string('prerelease-pattern'),
    draft: inputs.boolean('draft'),
    target: inputs.string('target'),
    hideArchiveLinks: inputs.boolean('hide-archive-links'),
    workspace,
  });
  const onExisting = inputs.enum<OnExisting>('on-existing', ['reuse', 'update', 'fail']);
  const makeLatest = inputs.enum<MakeLatestChoice>('make-latest', ['auto', 'true', 'false']);
  const timeoutMs = inputs.positiveInt('request-timeout') * 1000;
  return { forge: { ...forgeInputs, http: { timeoutMs } }, wanted, onExisting, makeLatest };
}

/** The action's outputs for the release it ensured. */
export function createOutputs(release: Release, created: boolean) {
  return {
    'release-id': release.id,
    'html-url': release.htmlUrl,
    'upload-url': release.uploadUrl,
    tag: release.tagName,
    prerelease: release.prerelease,
    draft: release.draft,
    created,
  };
}
