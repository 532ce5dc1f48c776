// wscript.exe reads a .vbs as ANSI: UTF-8 bytes (even in a comment) abort it with a misleading
// "Not enough memory resources" dialog, and LF-only files parse inconsistently across WSH versions.
// A launcher must therefore be pure ASCII with CRLF line endings (seed: "VBS launcher gotchas").

/** Something found in a launcher, with its 1-based line. */
interface VbsFinding {
  line: number;
  message: string;
}

export interface VbsReport {
  /** The launcher as it should be shipped: ASCII only, CRLF line endings. */
  output: Buffer;
  /** Whether `output` differs from the bytes read. */
  changed: boolean;
  /** One finding per line holding non-ASCII characters, saying what each became. */
  nonAscii: VbsFinding[];
  /** The first line whose ending is not CRLF. */
  lineEnding?: VbsFinding;
  /** Lines that launch pythonw.exe (null stdout/stderr: seed gotcha 3). */
  pythonw: VbsFinding[];
}

/** Replacements for the characters editors and word processors slip in; anything else is dropped. */
const ASCII_FOR: Record<string, string> = {
  '\u2010': '-', // hyphen
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '-', // figure dash
  '\u2013': '-', // en dash
  '\u2014': '-', // em dash
  '\u2212': '-', // minus sign
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2032': "'", // prime
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2033': '"', // double prime
  '\u2026': '...',
  '\u00a0': ' ', // no-break space
  '\u2007': ' ', // figure space
  '\u2009': ' ', // thin space
  '\u202f': ' ', // narrow no-break space
};
const DOUBLE_QUOTES = new Set(['\u201c', '\u201d', '\u201e', '\u2033']);

/** The Windows-1252 bytes 0x80-0x9F that have a replacement above (a file saved as "ANSI"). */
const CP1252: Record<number, string> = {
  133: '\u2026',
  145: '\u2018',
  146: '\u2019',
  147: '\u201c',
  148: '\u201d',
  150: '\u2013',
  151: '\u2014',
};

/** The text of a launcher: UTF-16 with a BOM, UTF-8 when the bytes are valid UTF-8, else Windows-1252. */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  try {
    // ignoreBOM keeps a UTF-8 BOM as U+FEFF, so it is reported and dropped like any non-ASCII.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return Array.from(bytes, (byte) => CP1252[byte] ?? String.fromCharCode(byte)).join('');
  }
}

const codePoint = (char: string) =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Where the comment of a VBScript line starts (its length when it has none): a `'` outside a string
 * literal, or a `Rem` statement. Strings cannot span lines and `""` inside one is a quote, which
 * toggling on every `"` handles.
 * @internal Exported for its unit tests.
 */
export function commentStart(line: string): number {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') inString = !inString;
    else if (!inString && char === "'") return i;
    else if (!inString && /^rem(\s|$)/i.test(line.slice(i, i + 4))) {
      const before = line.slice(0, i).trimEnd();
      if (before === '' || before.endsWith(':')) return i;
    }
  }
  return line.length;
}

/**
 * Transliterates one line to ASCII. A curly double quote inside a string literal becomes `""` (a bare
 * `"` would end the string); elsewhere it becomes `"`, which is what it was meant to be in code.
 */
function asciiLine(line: string): { text: string; notes: string[] } {
  const notes: string[] = [];
  let text = '';
  let inString = false;
  let inComment = false;
  for (const char of line) {
    if (char.charCodeAt(0) < 0x80) {
      if (char === '"' && !inComment) inString = !inString;
      else if (char === "'" && !inString) inComment = true;
      text += char;
      continue;
    }
    let replacement = ASCII_FOR[char] ?? '';
    if (DOUBLE_QUOTES.has(char) && inString) replacement = '""';
    notes.push(
      replacement === ''
        ? `'${char}' (${codePoint(char)}) removed`
        : `'${char}' (${codePoint(char)}) → '${replacement}'`,
    );
    text += replacement;
  }
  return { text, notes };
}

/** Checks and normalises one launcher; pure, so the caller decides whether to write or to fail. */
export function inspectVbs(bytes: Buffer): VbsReport {
  const text = decode(bytes);
  // Split keeping each line's own ending, so the first line that is not CRLF can be named.
  const parts = text.split(/(\r\n|\r|\n)/);
  const lines: string[] = [];
  let lineEnding: VbsFinding | undefined;
  for (let i = 0; i < parts.length; i += 2) {
    lines.push(parts[i]);
    const ending = parts[i + 1];
    if (ending !== undefined && ending !== '\r\n' && !lineEnding) {
      lineEnding = {
        line: lines.length,
        message: `line ends with ${ending === '\n' ? 'LF' : 'CR'} instead of CRLF`,
      };
    }
  }
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();

  const nonAscii: VbsFinding[] = [];
  const pythonw: VbsFinding[] = [];
  const fixedLines = lines.map((line, index) => {
    const { text: fixed, notes } = asciiLine(line);
    if (notes.length > 0) {
      nonAscii.push({ line: index + 1, message: `non-ASCII character ${notes.join(', ')}` });
    }
    if (/\bpythonw(\.exe)?\b/i.test(fixed.slice(0, commentStart(fixed)))) {
      pythonw.push({
        line: index + 1,
        message:
          'launches pythonw.exe, whose stdout/stderr are null: a library that writes to them at startup ' +
          '(uvicorn, structlog, warnings) can end the app silently; run python.exe hidden instead ' +
          '(WshShell.Run cmd, 0, False)',
      });
    }
    return fixed;
  });
  const endsWithNewline = /[\r\n]$/.test(text);
  const output = Buffer.from(fixedLines.join('\r\n') + (endsWithNewline ? '\r\n' : ''), 'latin1');
  return { output, changed: !output.equals(bytes), nonAscii, lineEnding, pythonw };
}
