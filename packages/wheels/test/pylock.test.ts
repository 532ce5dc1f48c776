import { parsePythonSpec } from '@forge-actions/version/python';
import { describe, expect, test } from '@jest/globals';
import { candidatesFromLock } from '../src/pylock.js';
import { parseTarget, supportedTags } from '../src/target.js';

const supported = supportedTags(parseTarget(parsePythonSpec('3.11'), 'win_amd64', 'cp'));
const read = (text: string) => candidatesFromLock(text, supported, 'cp311-win_amd64');
const FILES = 'https://files.example/packages';
/** One `[[packages]]` entry of a pylock.toml: name, version, then its source line. */
const entry = (name: string, version: string, source: string) =>
  `[[packages]]\nname = "${name}"\nversion = "${version}"\n${source}\n`;

describe('candidatesFromLock', () => {
  test('the best wheel for the target, else the sdist; hashes kept', () => {
    const lock = `lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "charset-normalizer"
version = "3.5.2"
sdist = { url = "${FILES}/charset_normalizer-3.5.2.tar.gz", hashes = { sha256 = "AA" } }
wheels = [
    { url = "${FILES}/charset_normalizer-3.5.2-py3-none-any.whl", hashes = { sha256 = "11" } },
    { url = "${FILES}/charset_normalizer-3.5.2-cp311-cp311-manylinux_2_17_x86_64.whl", hashes = { sha256 = "22" } },
    { url = "${FILES}/charset_normalizer-3.5.2-cp37-abi3-win_amd64.whl", hashes = { sha256 = "33" } },
    { url = "${FILES}/charset_normalizer-3.5.2-cp311-cp311-win_amd64.whl", hashes = { sha256 = "44" } },
]

${entry('docopt', '0.6.2', `sdist = { url = "${FILES}/docopt-0.6.2.tar.gz", hashes = { sha256 = "55" } }`)}
${entry('local-thing', '1.0', 'wheels = [{ name = "local_thing-1.0-py3-none-any.whl", path = "wheels/local_thing-1.0-py3-none-any.whl" }]')}`;
    expect(read(lock)).toEqual([
      {
        name: 'charset-normalizer',
        version: '3.5.2',
        kind: 'wheel',
        file: 'charset_normalizer-3.5.2-cp311-cp311-win_amd64.whl',
        url: `${FILES}/charset_normalizer-3.5.2-cp311-cp311-win_amd64.whl`,
        sha256: '44',
      },
      {
        name: 'docopt',
        version: '0.6.2',
        kind: 'sdist',
        file: 'docopt-0.6.2.tar.gz',
        url: `${FILES}/docopt-0.6.2.tar.gz`,
        sha256: '55',
      },
      {
        name: 'local-thing',
        version: '1.0',
        kind: 'wheel',
        file: 'local_thing-1.0-py3-none-any.whl',
        path: 'wheels/local_thing-1.0-py3-none-any.whl',
      },
    ]);
  });

  test('a direct URL archive is a wheel or an sdist by its file name; URL-encoded names are decoded', () => {
    const lock = `lock-version = "1.0"
${entry('mylib', '1.0', 'archive = { url = "https://example.org/dl/mylib-1.0-py3-none-any.whl", hashes = { sha256 = "66" } }')}
${entry('other', '2.0', 'archive = { url = "https://example.org/dl/other%2D2.0.tar.gz" }')}`;
    expect(read(lock).map((c) => [c.name, c.kind, c.file])).toEqual([
      ['mylib', 'wheel', 'mylib-1.0-py3-none-any.whl'],
      ['other', 'sdist', 'other-2.0.tar.gz'],
    ]);
  });

  test('only wheels for other platforms and no sdist: one line naming the package', () => {
    const lock = `lock-version = "1.0"
[[packages]]
name = "pyobjc-core"
version = "10.0"
wheels = [{ url = "${FILES}/pyobjc_core-10.0-cp311-cp311-macosx_10_9_universal2.whl" }]
`;
    expect(() => read(lock)).toThrow('pyobjc-core 10.0 has no wheel for cp311-win_amd64 and no sdist');
  });

  test('VCS and folder sources cannot become Windows wheels', () => {
    expect(() =>
      read('[[packages]]\nname = "x"\nversion = "1"\nvcs = { type = "git", url = "u", commit-id = "c" }\n'),
    ).toThrow('x comes from a VCS repository');
    expect(() => read('[[packages]]\nname = "y"\nversion = "1"\ndirectory = { path = "." }\n')).toThrow(
      'y comes from a local folder',
    );
  });

  test('a lock that is not TOML is one line', () => {
    expect(() => read('[[packages]\n')).toThrow(/^uv wrote a pylock.toml that cannot be read/);
  });
});
