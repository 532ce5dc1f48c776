/**
 * A value as a double-quoted NSIS string: `$` would start a variable and `"` end the string, so they are
 * written `$$` and `$\"`. Control characters are refused where the value is read (plan.ts CONTROL).
 */
export const nsisString = (text: string) => `"${text.replaceAll('$', '$$$$').replaceAll('"', '$\\"')}"`;
