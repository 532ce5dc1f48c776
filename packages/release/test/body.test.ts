import { describe, expect, test } from '@jest/globals';
import {
  composeBody,
  hasGeneratedSection,
  MARKER,
  readDownloadRows,
  renderGenerated,
  replaceGenerated,
} from '../src/body.js';

const rows = [
  { label: 'Windows (installer)', file: 'App-v1.0.0-setup.exe' },
  { label: 'Linux', file: 'App-v1.0.0-linux-x64.tar.gz' },
];

describe('release body', () => {
  test('notes come first, the generated section between two marker lines', () => {
    const body = composeBody('## Changes\n- fixed things\n', renderGenerated(rows));
    expect(
      body.startsWith('## Changes\n- fixed things\n\n<!-- forge-actions:generated -->\n## Downloads'),
    ).toBe(true);
    expect(body.endsWith(MARKER)).toBe(true);
    expect(body).toContain('| Windows (installer) | `App-v1.0.0-setup.exe` |  |  |');
    expect(hasGeneratedSection(body)).toBe(true);
  });

  test('no rows and no notes give an empty body; notes alone have no markers', () => {
    expect(composeBody('', renderGenerated([]))).toBe('');
    expect(composeBody('just notes', '')).toBe('just notes');
  });

  test('replacing the generated section leaves every byte outside it alone', () => {
    const before = 'Notes with `code`\r\nand CRLF\r\n\r\n';
    const after = '\n\nA line a maintainer added below.';
    const body = `${before}${MARKER}\nold table\n${MARKER}${after}`;
    const replaced = replaceGenerated(body, 'new table');
    expect(replaced).toBe(`${before}${MARKER}\nnew table\n${MARKER}${after}`);
    expect(replaceGenerated(replaced, 'new table')).toBe(replaced);
  });

  test('a body without a section gets one appended; an empty section is removed', () => {
    expect(replaceGenerated('notes', 'table')).toBe(`notes\n\n${MARKER}\ntable\n${MARKER}`);
    expect(replaceGenerated(`notes\n\n${MARKER}\ntable\n${MARKER}`, '')).toBe('notes');
  });

  test('the rows survive a round trip, even with characters that could end the comment', () => {
    const tricky = [...rows, { label: 'Odd --> <label> | x', file: 'odd.zip' }];
    const body = composeBody('n', renderGenerated(tricky));
    const comment = body.split('\n').find((line) => line.startsWith('<!-- forge-actions:downloads')) ?? '';
    expect(comment.indexOf('-->')).toBe(comment.length - 3);
    expect(readDownloadRows(body)).toEqual(tricky);
    expect(readDownloadRows('no section')).toEqual([]);
  });

  test('files on the release get a link, size and digest', () => {
    const table = renderGenerated(rows, [
      {
        name: 'App-v1.0.0-setup.exe',
        url: 'https://x/dl/setup.exe',
        size: 5 * 1024 * 1024,
        sha256: 'ab'.repeat(32),
      },
    ]);
    expect(table).toContain(
      `| Windows (installer) | [\`App-v1.0.0-setup.exe\`](https://x/dl/setup.exe) | 5.0 MiB | \`${'ab'.repeat(32)}\` |`,
    );
    expect(table).toContain('| Linux | `App-v1.0.0-linux-x64.tar.gz` |  |  |');
  });
});
