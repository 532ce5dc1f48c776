import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';
import { expandTemplate } from '@forge-actions/action-kit/template';
import { compilePrereleasePattern, normalizeVersion } from '@forge-actions/version';
import { composeBody, renderGenerated } from './body.js';
import { parseDownloadRows } from './downloads.js';
import type { WantedRelease } from './ensure-release.js';
import { tagNameProblem } from './tag-name.js';

/** GitHub refuses longer bodies; checked for every forge so a workflow behaves the same on both. */
const MAX_BODY_CHARS = 125_000;

export interface ReleaseInputs {
  tag: string;
  name: string;
  body: string;
  notesFile: string;
  /** False when notes-file is the default, which may be absent. */
  notesFileExplicit: boolean;
  downloads: string[];
  prerelease: 'auto' | 'true' | 'false';
  prereleasePattern: string;
  draft: boolean;
  target: string;
  /** Forgejo's setting; sent only when asked for, so a release made without it looks as it always did. */
  hideArchiveLinks?: boolean;
  workspace: string;
}

function readNotes(file: string, explicit: boolean, workspace: string): string {
  if (!file) return '';
  const path = resolve(workspace, file);
  if (existsSync(path)) return readFileSync(path, 'utf8');
  if (explicit) throw new InputError('notes-file', `names '${file}', which does not exist`);
  return '';
}

/** Checks the create-release inputs and turns them into the release wanted, before any request. */
export function createReleaseRequest(inputs: ReleaseInputs): WantedRelease {
  const problem = tagNameProblem(inputs.tag);
  if (problem) throw new InputError('tag', problem);
  const pattern = compilePrereleasePattern(inputs.prereleasePattern);
  const version = normalizeVersion(inputs.tag, { prereleasePattern: pattern });
  const values = { tag: inputs.tag, version: version.clean };
  const generated = renderGenerated(parseDownloadRows(inputs.downloads, values));
  const notes = [
    inputs.body.trim(),
    readNotes(inputs.notesFile, inputs.notesFileExplicit, inputs.workspace).trim(),
  ]
    .filter((part) => part !== '')
    .join('\n\n');
  const body = composeBody(notes, generated);
  if ([...body].length > MAX_BODY_CHARS) {
    throw new InputError(
      inputs.body.length > MAX_BODY_CHARS ? 'body' : 'notes-file',
      `makes a release body of ${[...body].length} characters; GitHub allows ${MAX_BODY_CHARS}`,
    );
  }
  return {
    tag: inputs.tag,
    name: expandTemplate('name', inputs.name, values) || inputs.tag,
    body,
    generated,
    draft: inputs.draft,
    prerelease: inputs.prerelease === 'auto' ? version.prerelease : inputs.prerelease === 'true',
    target: inputs.target || undefined,
    ...(inputs.hideArchiveLinks ? { hideArchiveLinks: true } : {}),
  };
}
