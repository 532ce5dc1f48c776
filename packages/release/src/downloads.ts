import { InputError } from '@forge-actions/action-kit/errors';
import type { DownloadRow } from './body.js';

export interface TemplateValues {
  tag: string;
  version: string;
}

/** Expands `{tag}` and `{version}`; any other `{word}` is a mistake in the named input. */
export function expandTemplate(input: string, template: string, values: TemplateValues): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, key: string) => {
    if (key === 'tag' || key === 'version') return values[key];
    throw new InputError(input, `has an unknown placeholder ${whole}; use {tag} or {version}`);
  });
}

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
