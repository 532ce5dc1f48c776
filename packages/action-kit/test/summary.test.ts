import { describe, expect, test } from '@jest/globals';
import { markdownTable } from '../src/summary.js';

describe('markdownTable', () => {
  test('escapes pipes and folds newlines so a cell cannot break the table', () => {
    expect(
      markdownTable(
        ['name', 'value'],
        [
          ['a|b', 'x\ny'],
          [1, true],
        ],
      ),
    ).toBe(['| name | value |', '| --- | --- |', '| a\\|b | x y |', '| 1 | true |'].join('\n'));
  });
});
