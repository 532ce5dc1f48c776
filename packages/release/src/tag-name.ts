// Gitea answers an invalid tag name with a bare 500, which looks like a lost race; check the name
// against git's own ref rules (git-check-ref-format) before sending anything.
// biome-ignore lint/suspicious/noControlCharactersInRegex: git forbids control characters in ref names
const FORBIDDEN = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|\/\.|\.lock(\/|$)/;

export function tagNameProblem(tag: string): string | undefined {
  if (tag === '') return 'must not be empty';
  if (tag === '@') return "must not be '@'";
  if (FORBIDDEN.test(tag))
    return `'${tag}' is not a valid git tag name (no spaces, '..', '~^:?*[\\', '@{' or '.lock')`;
  if (/^[/.-]|[/.]$/.test(tag))
    return `'${tag}' is not a valid git tag name (it starts or ends with '/', '.' or '-')`;
  return undefined;
}
