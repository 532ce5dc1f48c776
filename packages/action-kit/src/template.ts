import { InputError } from './errors.js';

/** What `{tag}` and `{version}` stand for in the file-name and title templates of the actions. */
export type TemplateValues = { tag: string; version: string };

/** `a`, `a or b`, `a, b or c`. */
function either(words: string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/**
 * Expands `{key}` placeholders in the named input, for the keys `values` has (`{tag}` and `{version}` in
 * most templates). Any other `{word}`, or a placeholder whose value is unknown (empty), is a mistake in
 * that input.
 */
export function expandTemplate(
  input: string,
  template: string,
  values: Readonly<Record<string, string>>,
): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, key: string) => {
    if (!Object.hasOwn(values, key)) {
      const known = either(Object.keys(values).map((name) => `{${name}}`));
      throw new InputError(input, `has an unknown placeholder ${whole}; use ${known}`);
    }
    // tag and version are inputs of every action with templates; other values come from the run.
    const remedy = key === 'tag' || key === 'version' ? ` (set the ${key} input)` : ' in this run';
    if (!values[key]) throw new InputError(input, `uses ${whole} but no ${key} is known${remedy}`);
    return values[key];
  });
}
