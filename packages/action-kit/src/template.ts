import { InputError } from './errors.js';

/** What `{tag}` and `{version}` stand for in the file-name and title templates of the actions. */
export interface TemplateValues {
  tag: string;
  version: string;
}

/**
 * Expands `{tag}` and `{version}` in the named input. Any other `{word}`, or a placeholder whose value
 * is unknown (empty), is a mistake in that input.
 */
export function expandTemplate(input: string, template: string, values: TemplateValues): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, key: string) => {
    if (key !== 'tag' && key !== 'version') {
      throw new InputError(input, `has an unknown placeholder ${whole}; use {tag} or {version}`);
    }
    if (!values[key])
      throw new InputError(input, `uses ${whole} but no ${key} is known (set the ${key} input)`);
    return values[key];
  });
}
