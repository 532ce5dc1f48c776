import { InputError } from '@forge-actions/action-kit/errors';
import { expandTemplate, type TemplateValues } from '@forge-actions/action-kit/template';
import type { DownloadRow } from './body.js';

/** `Label | file-name-template` lines into rows, templates expanded. */
export function parseDownloadRows(lines: string[], values: TemplateValues): DownloadRow[] {
  return lines.map((line, index) => {
    const bar = line.indexOf('|');
    const label = bar < 0 ? '' : line.slice(0, bar).trim();
    const file = bar < 0 ? '' : line.slice(bar + 1).trim();
    if (!label || !file || file.includes('|')) {
      throw new InputError('downloads', `row ${index + 1} must be 'Label | file-name' (got '${line}')`);
    }
    return { label, file: expandTemplate('downloads', file, values) };
  });
}
