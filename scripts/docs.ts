// Generates action-docs/<name>.md from each actions/<name>/action.yml with the npm tool action-docs
// (header, description, inputs with defaults, outputs, runs, usage). `--check` renders in memory and
// fails when a checked-in doc is stale, missing, or left over from a removed action.
//
//   npm run docs                 write action-docs/*.md
//   npm run docs -- --check      exit 1 listing stale files, nothing written
//   npm run docs -- --root DIR   work on another checkout (tests use a temporary copy)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { validateWorkflow } from '@action-validator/core';
import { generateActionMarkdownDocs } from 'action-docs';
import { parse } from 'yaml';
import { listActions, REPO_ROOT } from './actions.js';

/** The `uses:` shown in every usage example: `your-org/actions/<name>@v1`. */
export const USAGE_OWNER = 'your-org/actions';
export const USAGE_VERSION = 'v1';
export const DOCS_DIR_NAME = 'action-docs';

/**
 * action-docs emits `| a | b |` rows without escaping pipes inside a cell, so a default such as
 * `(alpha|beta|rc)` would split the row. Escape pipes inside code spans and the `<p>` description
 * cells of table rows; GitHub and Gitea render `\|` there as a plain pipe.
 */
function escapeCellPipes(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) inFence = !inFence;
      if (inFence || !line.startsWith('| ')) return line;
      return line
        .replace(/`[^`]*`/g, (span) => span.replace(/(?<!\\)\|/g, '\\|'))
        .replace(/<p>.*?<\/p>/g, (cell) => cell.replace(/(?<!\\)\|/g, '\\|'));
    })
    .join('\n');
}

export const EXAMPLES_DIR_NAME = 'examples';

/**
 * Emphasis nobody wrote: action-docs renders description cells as HTML, so `GITEA_* or GITHUB_*` becomes
 * `GITEA<em>* or GITHUB</em>*` and `__version__` bold. Identifiers belong in backticks in action.yml;
 * this finds any `<em>`/`<strong>`, `*` or `__` left outside code (spans, `<code>`, fences).
 */
export function accidentalMarkup(markdown: string): string[] {
  let inFence = false;
  return markdown.split('\n').flatMap((line, index) => {
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence) return [];
    const prose = line.replace(/`[^`]*`/g, '').replace(/<code>.*?<\/code>/g, '');
    return /<\/?(em|strong)>|\*|__/.test(prose) ? [`line ${index + 1}: ${line.trim()}`] : [];
  });
}

/** A closing section linking the example workflows (action-docs/examples) that use the action. */
function examplesSection(root: string, name: string): string {
  const dir = join(root, DOCS_DIR_NAME, EXAMPLES_DIR_NAME);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => /\.ya?ml$/.test(file))
        .sort()
    : [];
  const using = files.filter((file) =>
    readFileSync(join(dir, file), 'utf8').includes(`${USAGE_OWNER}/${name}@`),
  );
  const links = using.map((file) => `[${file}](${EXAMPLES_DIR_NAME}/${file})`);
  const lead =
    links.length > 0
      ? `Used in the example workflow${links.length > 1 ? 's' : ''} ${links.join(', ')}, run end to end by \`npm run test:e2e\`.`
      : 'No example workflow calls it directly.';
  return `## Examples\n\n${lead} All examples: [${DOCS_DIR_NAME}/${EXAMPLES_DIR_NAME}](${EXAMPLES_DIR_NAME}/).\n`;
}

/** The short workflows kept beside each action.yml, shown first in its doc: one per forge. */
export const EXAMPLE_FLAVOURS = [
  { file: 'gitea.yml', title: 'Example on Gitea and Forgejo' },
  { file: 'github.yml', title: 'Example on GitHub' },
] as const;

/**
 * `## Example on …` sections from `actions/<name>/examples/*.yml`. Each must be a valid workflow that uses
 * this action, so a renamed input or a broken example fails the docs, not a user.
 */
function exampleSections(actionsDir: string, name: string): string {
  const action = parse(readFileSync(join(actionsDir, name, 'action.yml'), 'utf8')) as ActionInputs;
  const inputs = action.inputs ?? {};
  return EXAMPLE_FLAVOURS.map(({ file, title }) => {
    const path = `actions/${name}/${EXAMPLES_DIR_NAME}/${file}`;
    const full = join(actionsDir, name, EXAMPLES_DIR_NAME, file);
    if (!existsSync(full))
      throw new Error(`${path} is missing: each action has a Gitea and a GitHub example`);
    const text = readFileSync(full, 'utf8');
    const problems = validateWorkflow(text).errors.map((error) => `${error.title}: ${error.detail ?? ''}`);
    if (problems.length > 0) throw new Error(`${path} is not a valid workflow: ${problems.join('; ')}`);
    const unknown = exampleInputProblems(text, name, inputs);
    if (unknown.length > 0) throw new Error(`${path}: ${unknown.join('; ')}`);
    return `## ${title}\n\n\`\`\`yaml\n${text.trimEnd()}\n\`\`\`\n\n`;
  }).join('');
}

interface ActionInputs {
  inputs?: Record<string, { required?: boolean }>;
}

interface ExampleWorkflow {
  jobs?: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>;
}

/** What is wrong with the steps that use the action: none at all, an unknown input, a required one left out. */
function exampleInputProblems(text: string, name: string, inputs: ActionInputs['inputs'] & object): string[] {
  const uses = `${USAGE_OWNER}/${name}@${USAGE_VERSION}`;
  const steps = Object.values((parse(text) as ExampleWorkflow).jobs ?? {})
    .flatMap((job) => job.steps ?? [])
    .filter((step) => step.uses?.endsWith(uses));
  if (steps.length === 0) return [`does not use ${uses}`];
  return steps.flatMap((step) => {
    const given = Object.keys(step.with ?? {});
    return [
      ...given.filter((key) => !(key in inputs)).map((key) => `${key} is not an input of ${name}`),
      ...Object.entries(inputs)
        .filter(([key, input]) => input.required && !given.includes(key))
        .map(([key]) => `the required input ${key} is missing`),
    ];
  });
}

/**
 * Runners (act among them) evaluate `${{ }}` wherever it stands in action.yml, descriptions included: an
 * example expression there fails every workflow that uses the action.
 */
function checkDescriptions(sourceFile: string, name: string): void {
  const action = parse(readFileSync(sourceFile, 'utf8')) as Record<string, unknown>;
  const described = [
    ['action', action],
    ...Object.entries((action.inputs ?? {}) as Record<string, unknown>).map(([key, v]) => [
      `input ${key}`,
      v,
    ]),
    ...Object.entries((action.outputs ?? {}) as Record<string, unknown>).map(([key, v]) => [
      `output ${key}`,
      v,
    ]),
  ] as Array<[string, { description?: unknown }]>;
  for (const [what, entry] of described) {
    if (String(entry?.description ?? '').includes('${{')) {
      throw new Error(
        `actions/${name}/action.yml: the description of ${what} holds an expression (\${{ }}), which runners evaluate`,
      );
    }
  }
}

/** One action's doc, rendered by action-docs from its action.yml. Pure: same input, same bytes. */
export async function renderActionDoc(actionsDir: string, name: string): Promise<string> {
  const sourceFile = join(actionsDir, name, 'action.yml');
  checkDescriptions(sourceFile, name);
  const generated = await generateActionMarkdownDocs({
    sourceFile,
    includeNameHeader: true,
    tocLevel: 1,
    lineBreaks: 'LF',
  });
  // action-docs leaves these placeholders for its README updater to fill from a marker comment's
  // project/version attributes; we fill them the same way for a standalone file.
  if (!generated.includes('***PROJECT***@***VERSION***')) {
    throw new Error(`action-docs output for ${name} has no usage placeholder; has its format changed?`);
  }
  const usage = generated.replace('***PROJECT***@***VERSION***', `${USAGE_OWNER}/${name}@${USAGE_VERSION}`);
  // The examples go first, above the generated all-inputs reference.
  const inputsAt = usage.indexOf('\n## Inputs\n');
  if (inputsAt < 0)
    throw new Error(`action-docs output for ${name} has no Inputs section; has its format changed?`);
  const body = `${usage.slice(0, inputsAt + 1)}${exampleSections(actionsDir, name)}${usage.slice(inputsAt + 1)}`;
  const header = `<!-- Generated by \`npm run docs\` (action-docs) from actions/${name}/action.yml. Do not edit. -->`;
  const examples = examplesSection(join(actionsDir, '..'), name);
  const doc = `${header}\n\n${escapeCellPipes(body).trimEnd()}\n\n${examples}`;
  const mangled = accidentalMarkup(doc);
  if (mangled.length > 0) {
    throw new Error(
      `actions/${name}/action.yml: write identifiers, globs and file names in backticks; ` +
        `the doc would show them as emphasis:\n  ${mangled.join('\n  ')}`,
    );
  }
  return doc;
}

/** Every doc the repository at `root` should have: file name → content. */
export async function renderAllDocs(root: string): Promise<Map<string, string>> {
  const actionsDir = join(root, 'actions');
  const docs = new Map<string, string>();
  for (const name of listActions(actionsDir)) docs.set(`${name}.md`, await renderActionDoc(actionsDir, name));
  return docs;
}

export interface DocsDrift {
  stale: string[];
  missing: string[];
  extra: string[];
}

/** Compares rendered docs with the files in `<root>/action-docs`; paths are relative to root. */
export function compareDocs(root: string, rendered: Map<string, string>): DocsDrift {
  const dir = join(root, DOCS_DIR_NAME);
  let present: string[] = [];
  try {
    present = readdirSync(dir).filter((file) => file.endsWith('.md'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const rel = (file: string) => `${DOCS_DIR_NAME}/${file}`;
  const drift: DocsDrift = { stale: [], missing: [], extra: [] };
  for (const [file, content] of rendered) {
    if (!present.includes(file)) drift.missing.push(rel(file));
    else if (readFileSync(join(dir, file), 'utf8') !== content) drift.stale.push(rel(file));
  }
  for (const file of present.sort()) if (!rendered.has(file)) drift.extra.push(rel(file));
  return drift;
}

/** Writes the rendered docs and removes docs of actions that no longer exist. */
export function writeDocs(root: string, rendered: Map<string, string>): string[] {
  const dir = join(root, DOCS_DIR_NAME);
  mkdirSync(dir, { recursive: true });
  const drift = compareDocs(root, rendered);
  for (const extra of drift.extra) rmSync(join(root, extra));
  for (const [file, content] of rendered) writeFileSync(join(dir, file), content);
  return [...drift.missing, ...drift.stale, ...drift.extra];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { check: { type: 'boolean', default: false }, root: { type: 'string' } },
    allowPositionals: false,
  });
  const root = resolve(values.root ?? REPO_ROOT);
  const rendered = await renderAllDocs(root);
  if (values.check) {
    const drift = compareDocs(root, rendered);
    const problems = [
      ...drift.stale.map((file) => `stale:   ${file}`),
      ...drift.missing.map((file) => `missing: ${file}`),
      ...drift.extra.map((file) => `extra:   ${file} (no such action)`),
    ];
    if (problems.length > 0) {
      console.error(`Action docs are out of date (run \`npm run docs\`):\n${problems.join('\n')}`);
      return 1;
    }
    console.log(`action docs up to date (${rendered.size} actions)`);
    return 0;
  }
  const changed = writeDocs(root, rendered);
  console.log(
    changed.length === 0
      ? `action docs unchanged (${rendered.size} actions)`
      : `updated ${changed.join(', ')}`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`docs: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
