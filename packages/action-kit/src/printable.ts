/**
 * An untrusted string (a file name, a server's message) made safe for one log line: control characters
 * are escaped as `\n`, `\r`, `\t` or `\uXXXX`, so a name cannot start a new line that the runner would read
 * as a workflow command (`::warning …`), nor move the cursor with terminal escapes.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * Defence in depth for whole messages: a line that a runner would parse as a workflow command
 * (`::name …::`, after leading white space) gets a zero-width space between its colons. The kit's log
 * passes every message through this; untrusted parts should still go through `printable`.
 */
export function noCommands(message: string): string {
  return message.replace(/(^|[\r\n])([ \t]*):(?=:)/g, '$1$2:\u200b');
}
