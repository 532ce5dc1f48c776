import { describe, expect, test } from '@jest/globals';
import {
  composeBody,
  hasGeneratedSection,
  MARKER,
  readDigestRecord,
  readDownloadRows,
  renderGenerated,
  replaceGenerated,
  withDigestRecord,
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

describe('digest record', () => {
  const sha = (char: string) => char.repeat(64);
  /** How the record writes a digest: base64url, no padding. */
  const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
  const section = (line: string) => `Notes.\n\n${MARKER}\n${line}\n${MARKER}`;

  test('written in id order after the table, read back; the same record is the same text', () => {
    const record = new Map([
      [12, { size: 5, sha256: sha('b') }],
      [3, { size: 0, sha256: sha('a') }],
    ]);
    const generated = withDigestRecord('## Downloads\n\n| a |', record);
    expect(generated).toBe(
      `## Downloads\n\n| a |\n\n<!-- forge-actions:digests {"3":[0,"${b64(sha('a'))}"],"12":[5,"${b64(sha('b'))}"]} -->`,
    );
    expect(readDigestRecord(section(generated))).toEqual(new Map([...record].sort(([a], [b]) => a - b)));
    // Replaced, not added to; an empty record removes the line.
    expect(withDigestRecord(generated, new Map([[4, { size: 1, sha256: sha('c') }]]))).toBe(
      `## Downloads\n\n| a |\n\n<!-- forge-actions:digests {"4":[1,"${b64(sha('c'))}"]} -->`,
    );
    expect(withDigestRecord(generated, new Map())).toBe('## Downloads\n\n| a |');
  });

  test('anyone may edit a body: entries of the wrong shape are dropped, a broken record reads as none', () => {
    const json = JSON.stringify({
      '7': [9, b64(sha('d'))],
      '6': [9, sha('d')],
      '0': [1, sha('a')],
      '-1': [1, sha('a')],
      x: [1, sha('a')],
      '8': [1.5, sha('a')],
      '9': [-1, sha('a')],
      '10': [1, sha('A')],
      '11': [1, 'short'],
      '13': { size: 1, sha256: sha('a') },
      '14': [1, sha('a'), 'extra'],
    });
    expect(readDigestRecord(section(`<!-- forge-actions:digests ${json} -->`))).toEqual(
      new Map([[7, { size: 9, sha256: sha('d') }]]),
    );
    for (const broken of ['{', '[]', 'null', '"text"']) {
      expect(readDigestRecord(section(`<!-- forge-actions:digests ${broken} -->`))).toEqual(new Map());
    }
    // Outside the generated section it is the user's text, not a record.
    expect(readDigestRecord(`<!-- forge-actions:digests {"7":[9,"${b64(sha('d'))}"]} -->`)).toEqual(
      new Map(),
    );
  });
});
