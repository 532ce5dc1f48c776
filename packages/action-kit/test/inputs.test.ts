import { describe, expect, test } from '@jest/globals';
import { InputError } from '../src/errors.js';
import { Inputs } from '../src/inputs.js';
import type { ActionMetadata } from '../src/metadata.js';
import { redact, registerSecret } from '../src/secrets.js';

const metadata: ActionMetadata = {
  name: 'demo',
  outputs: [],
  inputs: {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an action.yml expression, not a template
    tag: { default: '${{ github.ref_name }}' },
    draft: { default: 'false' },
    forge: { default: 'auto' },
    concurrency: { default: '2' },
    files: {},
    defines: {},
    body: {},
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an action.yml expression, not a template
    token: { default: '${{ github.token }}' },
  },
};

const inputs = (env: Record<string, string>) => new Inputs(metadata, env);

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('Inputs', () => {
  test('unset and empty inputs take the action.yml default, expressions from the runner environment', () => {
    expect(inputs({ GITHUB_REF_NAME: 'v1.0.0' }).string('tag')).toBe('v1.0.0');
    expect(inputs({ GITHUB_REF_NAME: 'v1.0.0', INPUT_TAG: '  ' }).string('tag')).toBe('v1.0.0');
    expect(inputs({ INPUT_TAG: ' v2 ' }).string('tag')).toBe('v2');
    expect(inputs({}).string('tag')).toBe('');
  });

  test('an input action.yml does not declare is a programming error, not an input error', () => {
    expect(() => inputs({}).string('nope')).toThrow("declares no input 'nope'");
  });

  test('required names the input', () => {
    expect(inputError(() => inputs({}).required('files')).message).toBe(
      "Input 'files' is required and was not set",
    );
  });

  test('booleans accept the YAML 1.2 core forms only', () => {
    expect(inputs({}).boolean('draft')).toBe(false);
    expect(inputs({ INPUT_DRAFT: 'True' }).boolean('draft')).toBe(true);
    expect(inputError(() => inputs({ INPUT_DRAFT: 'yes' }).boolean('draft')).message).toBe(
      "Input 'draft' must be true or false (got 'yes')",
    );
  });

  test('enums are case-insensitive and list the choices', () => {
    expect(inputs({ INPUT_FORGE: 'GitHub' }).enum('forge', ['auto', 'gitea', 'github'])).toBe('github');
    expect(inputError(() => inputs({ INPUT_FORGE: 'gitlab' }).enum('forge', ['auto', 'gitea'])).message).toBe(
      "Input 'forge' must be one of auto, gitea (got 'gitlab')",
    );
  });

  test('positive integers reject zero, signs and fractions', () => {
    expect(inputs({}).positiveInt('concurrency')).toBe(2);
    for (const bad of ['0', '-1', '1.5', 'two', '99999999999999999999']) {
      expect(inputError(() => inputs({ INPUT_CONCURRENCY: bad }).positiveInt('concurrency')).input).toBe(
        'concurrency',
      );
    }
  });

  test('whole numbers may start at 0 for counts', () => {
    expect(inputs({ INPUT_CONCURRENCY: '0' }).wholeNumber('concurrency')).toBe(0);
    expect(inputError(() => inputs({ INPUT_CONCURRENCY: '0' }).positiveInt('concurrency')).message).toBe(
      "Input 'concurrency' must be a whole number of at least 1 (got '0')",
    );
  });

  test('lists: one item a line, commas only when allowed', () => {
    const env = { INPUT_FILES: 'a.zip\n\n  b.exe  \nc,d\n' };
    expect(inputs(env).list('files')).toEqual(['a.zip', 'b.exe', 'c,d']);
    expect(inputs(env).list('files', { commas: true })).toEqual(['a.zip', 'b.exe', 'c', 'd']);
  });

  test('KEY=VALUE lines keep = in values and name the bad line', () => {
    expect(inputs({ INPUT_DEFINES: 'A=1\n\nB = x=y\n' }).keyValues('defines')).toEqual([
      ['A', '1'],
      ['B', 'x=y'],
    ]);
    expect(inputError(() => inputs({ INPUT_DEFINES: 'A=1\noops' }).keyValues('defines')).message).toBe(
      "Input 'defines' line 2 must be KEY=VALUE (got 'oops')",
    );
    expect(inputError(() => inputs({ INPUT_DEFINES: '=1' }).keyValues('defines')).input).toBe('defines');
  });

  test('isDefault tells a value the user chose from the default the runner filled in', () => {
    expect(inputs({ INPUT_FORGE: 'auto' }).isDefault('forge')).toBe(true);
    expect(inputs({}).isDefault('forge')).toBe(true);
    expect(inputs({ INPUT_FORGE: 'gitea' }).isDefault('forge')).toBe(false);
    expect(inputs({ INPUT_FILES: 'a' }).isDefault('files')).toBe(false);
  });

  test('text keeps inner layout and leading indentation', () => {
    expect(inputs({ INPUT_BODY: '  indented\n\nline  \n' }).text('body')).toBe('  indented\n\nline');
  });

  test('secrets are registered for redaction as soon as they are read', () => {
    const token = inputs({ INPUT_TOKEN: 'ghp_abcdefSECRET' }).secret('token');
    expect(redact(`Authorization: token ${token}`)).toBe('Authorization: token ***');
    registerSecret('ab');
    expect(redact('ab cd')).toBe('ab cd');
  });
});

describe('unexpected inputs', () => {
  test('with: keys the action does not declare are named (lower-case, sorted); declared ones are not', () => {
    const found = inputs({
      INPUT_TAG: 'v1',
      'INPUT_ON-EXISTING': 'reuse',
      INPUT_BOGUS: '1',
      INPUT_FILES: 'a',
      NOT_AN_INPUT: 'x',
    }).unexpected();
    expect(found).toEqual(['bogus', 'on-existing']);
    expect(inputs({ INPUT_TAG: 'v1', INPUT_TOKEN: 't' }).unexpected()).toEqual([]);
  });
});
