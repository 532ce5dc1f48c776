import { describe, expect, test } from '@jest/globals';
import { commentStart, inspectVbs } from '../src/vbs.js';

const crlf = (...lines: string[]) => Buffer.from(lines.map((line) => `${line}\r\n`).join(''));

describe('inspectVbs', () => {
  test('an ASCII CRLF launcher is left as it is', () => {
    const bytes = crlf('Set sh = CreateObject("WScript.Shell")', 'sh.Run "python.exe -m app", 0, False');
    const report = inspectVbs(bytes);
    expect(report).toMatchObject({ changed: false, nonAscii: [], lineEnding: undefined, pythonw: [] });
    expect(report.output).toEqual(bytes);
  });

  test('LF, CR and mixed endings become CRLF; the first bad one is named; a missing final newline stays missing', () => {
    const report = inspectVbs(Buffer.from('a\r\nb\nc\rd'));
    expect(report.output.toString()).toBe('a\r\nb\r\nc\r\nd');
    expect(report.lineEnding).toEqual({ line: 2, message: 'line ends with LF instead of CRLF' });
    expect(inspectVbs(Buffer.from('a\rb\r')).lineEnding).toEqual({
      line: 1,
      message: 'line ends with CR instead of CRLF',
    });
    expect(inspectVbs(Buffer.from('')).output).toEqual(Buffer.from(''));
    expect(inspectVbs(Buffer.from('\n')).output).toEqual(Buffer.from('\r\n'));
  });

  test('dashes, quotes, ellipsis and spaces are transliterated; other non-ASCII is dropped, per line', () => {
    const report = inspectVbs(
      Buffer.from('\' a \u2014 b \u2013 c \u2018d\u2019 \u2026\u00a0e\r\nx = "\u00fcber \u4e2d"\r\n'),
    );
    expect(report.output.toString()).toBe("' a - b - c 'd' ... e\r\nx = \"ber \"\r\n");
    expect(report.nonAscii.map((f) => f.line)).toEqual([1, 2]);
    expect(report.nonAscii[1].message).toBe(
      "non-ASCII character '\u00fc' (U+00FC) removed, '\u4e2d' (U+4E2D) removed",
    );
  });

  test('curly double quotes: "" inside a string literal, " in code and comments', () => {
    const report = inspectVbs(
      crlf('MsgBox "say \u201chi\u201d"', 'sh.Run \u201cpython.exe\u201d', "' a \u201cquote\u201d"),
    );
    expect(report.output.toString()).toBe(
      ['MsgBox "say ""hi"""', 'sh.Run "python.exe"', '\' a "quote"', ''].join('\r\n'),
    );
  });

  test('a UTF-8 BOM is dropped; UTF-16 and Windows-1252 files are read as such', () => {
    expect(inspectVbs(Buffer.from('\ufeffx = 1\r\n')).output.toString()).toBe('x = 1\r\n');
    expect(
      inspectVbs(
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x = "\u2014"\r\n', 'utf16le')]),
      ).output.toString(),
    ).toBe('x = "-"\r\n');
    const ansi = Buffer.from([0x27, 0x20, 0x93, 0x61, 0x94, 0x20, 0x97, 0x20, 0x85, 0x20, 0xe9, 0x0d, 0x0a]);
    expect(inspectVbs(ansi).output.toString()).toBe('\' "a" - ... \r\n');
  });

  test('pythonw.exe in code or a string is reported by line; in a comment it is not', () => {
    const report = inspectVbs(
      crlf(
        "' pythonw.exe would hide errors",
        'Rem pythonw too',
        'sh.Run """" & root & "\\python\\pythonw.exe"" -m app", 0, False',
        'x = 1 : rem PythonW',
        'sh.Run "pythonw -m app" \' comment',
      ),
    );
    expect(report.pythonw.map((f) => f.line)).toEqual([3, 5]);
  });
});

describe('commentStart', () => {
  test("a quote outside strings or a Rem statement starts a comment; ' inside a string does not", () => {
    expect(commentStart('x = "it\'s" \' note')).toBe(11);
    expect(commentStart('Rem note')).toBe(0);
    expect(commentStart('x = 1: Rem note')).toBe(7);
    expect(commentStart('Remove = 1')).toBe(10);
    expect(commentStart('x = "a "" b"')).toBe(12);
  });
});
