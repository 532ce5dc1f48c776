// Just enough of the NSIS script syntax for the lint: logical lines (a trailing backslash continues a
// line), comments (`;` or `#` starting a token, `/* ... */` blocks) and quoted parameters.

/** One statement: its command and parameters with the quotes removed, and the line it starts on. */
export interface Statement {
  line: number;
  command: string;
  args: string[];
}

/** Decodes a script as makensis does: UTF-16LE with a BOM, else UTF-8 (a BOM is skipped). */
export function decodeScript(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  return new TextDecoder('utf-8').decode(bytes);
}

function readToken(text: string, from: number): [string, number] {
  let i = from;
  const quote = text[i];
  if (quote === '"' || quote === "'" || quote === '`') {
    let token = '';
    i++;
    while (i < text.length && text[i] !== quote) {
      // $\" is an escaped quote inside a string.
      if (text[i] === '$' && text[i + 1] === '\\' && text[i + 2] === quote) {
        token += quote;
        i += 3;
        continue;
      }
      token += text[i++];
    }
    return [token, i + 1];
  }
  while (i < text.length && !/\s/.test(text[i])) i++;
  return [text.slice(from, i), i];
}

/** The statements of a script, in order, each with the line number it starts on. */
export function parseScript(text: string): Statement[] {
  const physical = text.split(/\r\n|\r|\n/);
  const statements: Statement[] = [];
  let inBlockComment = false;
  for (let index = 0; index < physical.length; index++) {
    const line = index + 1;
    let logical = physical[index];
    while (!inBlockComment && /\\\s*$/.test(logical) && index + 1 < physical.length) {
      logical = logical.replace(/\\\s*$/, ' ') + physical[++index];
    }
    const tokens: string[] = [];
    let i = 0;
    while (i < logical.length) {
      if (inBlockComment) {
        const end = logical.indexOf('*/', i);
        if (end < 0) break;
        inBlockComment = false;
        i = end + 2;
        continue;
      }
      if (/\s/.test(logical[i])) {
        i++;
        continue;
      }
      // Comments start only where a token would: `dist/*.*` and "a;b" are not comments.
      if (logical[i] === ';' || logical[i] === '#') break;
      if (logical.startsWith('/*', i)) {
        inBlockComment = true;
        i += 2;
        continue;
      }
      const [token, next] = readToken(logical, i);
      tokens.push(token);
      i = next;
    }
    if (tokens.length > 0) statements.push({ line, command: tokens[0], args: tokens.slice(1) });
  }
  return statements;
}
