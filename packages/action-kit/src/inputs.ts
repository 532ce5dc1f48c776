import { InputError } from './errors.js';
import { type ActionMetadata, expandDefault, inputEnvName } from './metadata.js';
import { registerSecret } from './secrets.js';
import { credentialSpellings } from './url-credentials.js';

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/**
 * Typed readers over the runner's `INPUT_*` variables. An unset or empty input takes its action.yml
 * default, so an action behaves the same whether or not a runner applied the defaults.
 * Reading a name action.yml does not declare is a programming error.
 */
export class Inputs {
  constructor(
    private readonly metadata: ActionMetadata,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /**
   * `with:` keys the action does not declare (a typo, or an input of another version). GitHub's runner
   * warns about them, act and Gitea's runner do not; the values are never read.
   */
  unexpected(): string[] {
    const declared = new Set(Object.keys(this.metadata.inputs).map(inputEnvName));
    return Object.keys(this.env)
      .filter((key) => key.startsWith('INPUT_') && !declared.has(key))
      .map((key) => key.slice('INPUT_'.length).toLowerCase())
      .sort();
  }

  /** The trimmed value, or the default, or ''. */
  string(name: string): string {
    const spec = this.metadata.inputs[name];
    if (!spec) throw new Error(`action.yml of '${this.metadata.name}' declares no input '${name}'`);
    const raw = (this.env[inputEnvName(name)] ?? '').trim();
    return raw !== '' ? raw : expandDefault(spec.default, this.env).trim();
  }

  /**
   * Whether the input holds its action.yml default. The runner writes defaults into `INPUT_*`, so
   * this is the only way to tell a file the user named from the default one that may be absent.
   */
  isDefault(name: string): boolean {
    return this.string(name) === expandDefault(this.metadata.inputs[name].default, this.env).trim();
  }

  /** The raw multi-line value with only trailing white space removed (bodies, notes). */
  text(name: string): string {
    const raw = this.env[inputEnvName(name)] ?? '';
    return raw.trim() !== '' ? raw.trimEnd() : this.string(name);
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === '') throw new InputError(name, 'is required and was not set');
    return value;
  }

  /** A secret: registered for masking before anything can print it. */
  secret(name: string): string {
    const value = this.string(name);
    if (value) registerSecret(value);
    return value;
  }

  /**
   * An http(s) URL, or undefined when empty. Credentials written into it (`user:password@`) are
   * registered as secrets in every spelling (as typed, percent-decoded, and the whole URL), so no log
   * line or summary can show them; code that stores a URL must still store it without them.
   */
  url(name: string): URL | undefined {
    const value = this.string(name);
    if (value === '') return undefined;
    for (const secret of credentialSpellings(value)) registerSecret(secret);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new InputError(name, 'must be an http:// or https:// URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InputError(name, `must be an http:// or https:// URL (got ${url.protocol})`);
    }
    return url;
  }

  /**
   * The input as typed, for a package that checks it itself (a mirror, an index, a registry that may be a
   * bare host): credentials in it are registered first as `url()` does, and a value with `@` that is no
   * http(s) URL is hidden whole, so the package's error can name the input without showing a password.
   */
  urlText(name: string): string {
    const value = this.string(name);
    if (!value.includes('@')) return value; // no credentials to hide (a bare host:port is no URL)
    try {
      this.url(name);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      registerSecret(value);
    }
    return value;
  }

  boolean(name: string): boolean {
    const value = this.string(name);
    if (TRUE.includes(value)) return true;
    if (FALSE.includes(value)) return false;
    throw new InputError(name, `must be true or false (got '${value}')`);
  }

  enum<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.string(name).toLowerCase();
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InputError(name, `must be one of ${allowed.join(', ')} (got '${value}')`);
  }

  positiveInt(name: string): number {
    return this.wholeNumber(name, 1);
  }

  /** A whole number of at least `min` (0 for counts such as retries). */
  wholeNumber(name: string, min = 0): number {
    const value = this.string(name);
    if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
      throw new InputError(name, `must be a whole number of at least ${min} (got '${value}')`);
    }
    return Number(value);
  }

  /**
   * URLs one a line (extra package indexes), as typed, each line's credentials registered as secrets in
   * every spelling first; a line that is no URL is hidden whole. The package checks the values.
   */
  urlList(name: string): string[] {
    const lines = this.list(name);
    for (const line of lines) for (const secret of credentialSpellings(line)) registerSecret(secret);
    return lines;
  }

  /** One item a line; with `commas`, commas separate items too. Blank lines are dropped. */
  list(name: string, options: { commas?: boolean } = {}): string[] {
    const separator = options.commas ? /[\n,]/ : /\n/;
    return this.string(name)
      .split(separator)
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  /** `KEY=VALUE` lines, in order; a line without `=` or with an empty key names its line number. */
  keyValues(name: string): Array<[string, string]> {
    const pairs: Array<[string, string]> = [];
    this.string(name)
      .split('\n')
      .forEach((line, index) => {
        if (line.trim() === '') return;
        const eq = line.indexOf('=');
        const key = eq > 0 ? line.slice(0, eq).trim() : '';
        if (key === '')
          throw new InputError(name, `line ${index + 1} must be KEY=VALUE (got '${line.trim()}')`);
        pairs.push([key, line.slice(eq + 1).trim()]);
      });
    return pairs;
  }
}
