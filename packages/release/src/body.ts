// The release body is the user's notes followed by a section this suite owns, fenced by one marker
// line above and below. Re-runs and upload-asset-dedup rewrite only what lies between the markers, so
// anything a person adds to the notes survives.

import { formatBytes } from '@forge-actions/action-kit/bytes';

/** @internal Exported for its unit tests. */
export const MARKER = '<!-- forge-actions:generated -->';
const ROWS_PREFIX = '<!-- forge-actions:downloads ';
const ROWS_SUFFIX = ' -->';
const DIGESTS_PREFIX = '<!-- forge-actions:digests ';

/** What an upload put on the release: the size and sha256 of an asset id (whose bytes never change). */
interface RecordedDigest {
  size: number;
  sha256: string;
}

/** Asset id → what this suite uploaded or hashed there. */
export type DigestRecord = Map<number, RecordedDigest>;

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

/**
 * The digest record in a body's generated section: asset ids with the size and sha256 this suite saw
 * there, so a re-run on a forge without asset digests (Gitea, Forgejo) proves a file unchanged without
 * downloading it. The body is anyone's to edit: entries of the wrong shape are dropped, and a reader
 * trusts an entry only while the asset of that id still has that size.
 */
export function readDigestRecord(body: string): DigestRecord {
  const generated = split(body)?.generated ?? '';
  const start = generated.indexOf(DIGESTS_PREFIX);
  const record: DigestRecord = new Map();
  if (start < 0) return record;
  const end = generated.indexOf(ROWS_SUFFIX, start + DIGESTS_PREFIX.length);
  let parsed: unknown;
  try {
    parsed = JSON.parse(generated.slice(start + DIGESTS_PREFIX.length, end));
  } catch {
    return record;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return record;
  for (const [id, entry] of Object.entries(parsed)) {
    if (!/^[1-9][0-9]{0,15}$/.test(id) || !Array.isArray(entry) || entry.length !== 2) continue;
    const [size, sha256] = entry as unknown[];
    if (!Number.isSafeInteger(size) || (size as number) < 0) continue;
    // base64url without padding: two thirds of the hex, so more entries fit a forge's note column.
    if (typeof sha256 !== 'string' || !/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/.test(sha256)) continue;
    record.set(Number(id), {
      size: size as number,
      sha256: Buffer.from(sha256, 'base64url').toString('hex'),
    });
  }
  return record;
}

/**
 * A generated section's text with `record` in place of the one it held (none when the record is
 * empty); ids in ascending order, so the same record is the same text.
 */
export function withDigestRecord(generated: string, record: DigestRecord): string {
  const lines = generated.split('\n').filter((line) => !line.startsWith(DIGESTS_PREFIX));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  if (record.size === 0) return lines.join('\n');
  const entries = [...record]
    .sort(([a], [b]) => a - b)
    .map(([id, d]) => [id, [d.size, Buffer.from(d.sha256, 'hex').toString('base64url')]]);
  const line = `${DIGESTS_PREFIX}${JSON.stringify(Object.fromEntries(entries))}${ROWS_SUFFIX}`;
  return lines.length > 0 ? `${lines.join('\n')}\n\n${line}` : line;
}

/** A body's generated section as text ('' when there is none). */
export function generatedSection(body: string): string {
  return split(body)?.generated ?? '';
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
