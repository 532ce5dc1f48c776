// The release body is the user's notes followed by a section this suite owns, fenced by one marker
// line above and below. Re-runs and upload-asset-dedup rewrite only what lies between the markers, so
// anything a person adds to the notes survives.

import { formatBytes } from '@forge-actions/action-kit/bytes';

/** @internal Exported for its unit tests. */
export const MARKER = '<!-- forge-actions:generated -->';
const ROWS_PREFIX = '<!-- forge-actions:downloads ';
const ROWS_SUFFIX = ' -->';

/** One line of the downloads table: what a person looks for, and the file that holds it. */
export interface DownloadRow {
  label: string;
  file: string;
}

/** What upload-asset-dedup knows of a file that is on the release. */
export interface DownloadAsset {
  name: string;
  url: string;
  /** Unknown for an external link. */
  size?: number;
  sha256?: string;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/**
 * The generated section: a downloads table (with links, sizes and digests for files already on the
 * release) and the rows themselves in a comment, so a later run can rebuild the table without the
 * workflow's inputs.
 */
export function renderGenerated(rows: DownloadRow[], assets: DownloadAsset[] = []): string {
  if (rows.length === 0) return '';
  const byName = new Map(assets.map((asset) => [asset.name, asset]));
  const lines = ['## Downloads', '', '| Platform | File | Size | SHA-256 |', '| --- | --- | --- | --- |'];
  for (const row of rows) {
    const asset = byName.get(row.file);
    const file = asset ? `[\`${cell(row.file)}\`](${asset.url})` : `\`${cell(row.file)}\``;
    const size = asset?.size === undefined ? '' : formatBytes(asset.size);
    const digest = asset?.sha256 ? `\`${asset.sha256}\`` : '';
    lines.push(`| ${cell(row.label)} | ${file} | ${size} | ${digest} |`);
  }
  // `<` and `>` escaped so no label can close the comment early; JSON.parse reads them back.
  const json = JSON.stringify(rows).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  lines.push('', `${ROWS_PREFIX}${json}${ROWS_SUFFIX}`);
  return lines.join('\n');
}

/** Notes, then the generated section between markers; either part may be empty. */
export function composeBody(notes: string, generated: string): string {
  const parts = [notes.trim()];
  if (generated) parts.push(`${MARKER}\n${generated}\n${MARKER}`);
  return parts.filter((part) => part !== '').join('\n\n');
}

interface Split {
  before: string;
  generated: string;
  after: string;
}

function split(body: string): Split | undefined {
  const start = body.indexOf(MARKER);
  if (start < 0) return undefined;
  const end = body.indexOf(MARKER, start + MARKER.length);
  if (end < 0) return undefined;
  return {
    before: body.slice(0, start),
    generated: body.slice(start + MARKER.length, end).replace(/^\r?\n|\r?\n$/g, ''),
    after: body.slice(end + MARKER.length),
  };
}

export function hasGeneratedSection(body: string): boolean {
  return split(body) !== undefined;
}

/**
 * Replaces the generated section and nothing else; a body without one gets it appended.
 * An empty `generated` removes the section (markers included).
 */
export function replaceGenerated(body: string, generated: string): string {
  const parts = split(body);
  if (!parts) return composeBody(body, generated);
  if (!generated) return `${parts.before.trimEnd()}${parts.after}`.trim();
  return `${parts.before}${MARKER}\n${generated}\n${MARKER}${parts.after}`;
}

/** The download rows recorded in a body's generated section, or [] when there are none. */
export function readDownloadRows(body: string): DownloadRow[] {
  const generated = split(body)?.generated ?? '';
  const start = generated.indexOf(ROWS_PREFIX);
  if (start < 0) return [];
  const end = generated.indexOf(ROWS_SUFFIX, start + ROWS_PREFIX.length);
  try {
    const rows = JSON.parse(generated.slice(start + ROWS_PREFIX.length, end)) as DownloadRow[];
    return Array.isArray(rows)
      ? rows.filter((row) => typeof row?.label === 'string' && typeof row?.file === 'string')
      : [];
  } catch {
    return [];
  }
}
