import * as core from '@actions/core';
import { redact } from './secrets.js';

export type Cell = string | number | boolean;

function escapeCell(cell: Cell): string {
  return redact(String(cell)).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Renders a small Markdown table: a heading, a header row and one row per item.
 * @internal Exported for its unit tests.
 */
export function markdownTable(headers: string[], rows: Cell[][]): string {
  const line = (cells: Cell[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Appends a heading and table to `$GITHUB_STEP_SUMMARY`; a no-op outside a runner. */
export async function writeSummary(heading: string, headers: string[], rows: Cell[][]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(`### ${heading}\n\n${markdownTable(headers, rows)}\n\n`).write();
}
