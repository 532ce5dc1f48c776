// The official API descriptions and response validation against them, for contract tests of the
// forge client and the local forge server.
// - Gitea: Gitea's own swagger 2.0 file, kept in test/specs/ so the suite's own workflows need nothing beside the repo.
// - GitHub: `@octokit/openapi` `generated/api.github.com.json` (OpenAPI 3.0).
// Paths may be given as spec templates (`/repos/{owner}/{repo}/releases/{id}`), as concrete paths
// with or without the API prefix (`/api/v1/...`, `/api/v3/...`, `/api/uploads/...`), or as full URLs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { REPO_ROOT } from './run-action.js';

export type Flavour = 'gitea' | 'github';

export const GITEA_SPEC_PATH = join(REPO_ROOT, 'test', 'specs', 'gitea-1.25.4-swagger.v1.json');
export const GITHUB_SPEC_PATH = join(
  REPO_ROOT,
  'node_modules',
  '@octokit',
  'openapi',
  'generated',
  'api.github.com.json',
);

type Json = Record<string, unknown>;
export interface SpecDocument extends Json {
  paths: Record<string, Record<string, Json>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PREFIXES: Record<Flavour, string[]> = { gitea: ['/api/v1'], github: ['/api/v3', '/api/uploads'] };
const SPEC_IDS: Record<Flavour, string> = { gitea: 'gitea-spec', github: 'github-spec' };

const documents = new Map<Flavour, SpecDocument>();

function load(flavour: Flavour): SpecDocument {
  let doc = documents.get(flavour);
  if (!doc) {
    doc = JSON.parse(
      readFileSync(flavour === 'gitea' ? GITEA_SPEC_PATH : GITHUB_SPEC_PATH, 'utf8'),
    ) as SpecDocument;
    documents.set(flavour, doc);
  }
  return doc;
}

/** Gitea's swagger 2.0 document (basePath `/api/v1`). */
export function giteaSpec(): SpecDocument {
  return load('gitea');
}

/** GitHub's OpenAPI 3.0 document (api.github.com). */
export function githubSpec(): SpecDocument {
  return load('github');
}

export function spec(flavour: Flavour): SpecDocument {
  return load(flavour);
}

export interface Operation {
  flavour: Flavour;
  method: string;
  /** The spec's path template, e.g. `/repos/{owner}/{repo}/releases/{id}`. */
  pathTemplate: string;
  operation: Json;
}

/** Strips scheme/host, the query and a flavour's API prefix. */
export function specPath(flavour: Flavour, path: string): string {
  let p = /^https?:\/\//.test(path) ? new URL(path).pathname : path.split('?')[0];
  for (const prefix of PREFIXES[flavour]) {
    if (p === prefix || p.startsWith(`${prefix}/`)) {
      p = p.slice(prefix.length) || '/';
      break;
    }
  }
  return p;
}

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

/** The spec operation for a method and path; literal segments win over parameters. */
export function findOperation(flavour: Flavour, method: string, path: string): Operation | undefined {
  const doc = load(flavour);
  const wanted = method.toLowerCase();
  const target = specPath(flavour, path);
  const exact = doc.paths[target]?.[wanted];
  if (exact) return { flavour, method: wanted, pathTemplate: target, operation: exact };
  const segments = target.split('/').filter(Boolean);
  let best: { template: string; literals: number } | undefined;
  for (const [template, item] of Object.entries(doc.paths)) {
    if (!item[wanted]) continue;
    const pattern = template.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    let literals = 0;
    const ok = pattern.every((part, i) => {
      if (isParam(part)) return segments[i] !== '';
      literals++;
      return part === segments[i];
    });
    if (ok && (!best || literals > best.literals)) best = { template, literals };
  }
  return (
    best && {
      flavour,
      method: wanted,
      pathTemplate: best.template,
      operation: doc.paths[best.template][wanted],
    }
  );
}

/** Every `(METHOD, template)` the spec describes. */
export function listOperations(flavour: Flavour): { method: string; pathTemplate: string }[] {
  const doc = load(flavour);
  return Object.entries(doc.paths).flatMap(([pathTemplate, item]) =>
    Object.keys(item)
      .filter((m) => METHODS.includes(m))
      .map((method) => ({ method, pathTemplate })),
  );
}

// --- response schemas ---

const ajvs = new Map<Flavour, Ajv>();
const validators = new Map<string, ValidateFunction | null>();

function ajvFor(flavour: Flavour): Ajv {
  let ajv = ajvs.get(flavour);
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  // ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
    addFormatsModule) as typeof addFormatsModule;
  addFormats(ajv);
  // OpenAPI/swagger formats that JSON Schema does not define: informative only.
  for (const name of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) {
    ajv.addFormat(name, true);
  }
  // The whole document is the root for `#/definitions/...` and `#/components/...` pointers.
  ajv.addSchema({ ...load(flavour), $id: SPEC_IDS[flavour] } as Json, undefined, undefined, false);
  ajvs.set(flavour, ajv);
  return ajv;
}

/** Rewrites document-local `$ref`s (`#/...`) to point into the document registered under `id`. */
function anchorRefs(value: unknown, id: string): unknown {
  if (Array.isArray(value)) return value.map((v) => anchorRefs(v, id));
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [key, v] of Object.entries(value as Json)) {
      out[key] =
        key === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${id}${v}` : anchorRefs(v, id);
    }
    return out;
  }
  return value;
}

function deref(doc: SpecDocument, ref: string): Json {
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) {
    node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node as Json;
}

/** The documented response for a status (or `default`), with `$ref`s to shared responses followed. */
function documentedResponse(flavour: Flavour, operation: Json, status: number): Json | undefined {
  const responses = operation.responses as Record<string, Json>;
  let response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  if (!response) return undefined;
  while (typeof response.$ref === 'string') response = deref(load(flavour), response.$ref);
  return response;
}

function responseSchema(flavour: Flavour, response: Json): Json | undefined {
  if (flavour === 'gitea') return response.schema as Json | undefined;
  const content = response.content as Record<string, { schema?: Json }> | undefined;
  if (!content) return undefined;
  const json = Object.entries(content).find(([type]) => type.includes('json'));
  return (json ?? Object.entries(content)[0])?.[1].schema;
}

export interface ResponseCheck {
  operation?: Operation;
  /** The status is listed for the operation (or covered by `default`). */
  documented: boolean;
  /** The documented response has a body schema (many error responses do not). */
  hasSchema: boolean;
  /** Empty when the body validates (or nothing is documented to validate against). */
  errors: string[];
}

/** Validates a response body against the spec's schema for `method path -> status`. */
export function validateResponse(
  flavour: Flavour,
  method: string,
  path: string,
  status: number,
  body: unknown,
): ResponseCheck {
  const operation = findOperation(flavour, method, path);
  if (!operation) {
    return {
      documented: false,
      hasSchema: false,
      errors: [`${method.toUpperCase()} ${path}: no such operation in the ${flavour} spec`],
    };
  }
  const response = documentedResponse(flavour, operation.operation, status);
  if (!response) {
    return {
      operation,
      documented: false,
      hasSchema: false,
      errors: [`${method.toUpperCase()} ${operation.pathTemplate}: status ${status} is not documented`],
    };
  }
  const key = `${flavour} ${operation.method} ${operation.pathTemplate} ${status}`;
  let validate = validators.get(key);
  if (validate === undefined) {
    const schema = responseSchema(flavour, response);
    validate = schema ? ajvFor(flavour).compile(anchorRefs(schema, SPEC_IDS[flavour]) as Json) : null;
    validators.set(key, validate);
  }
  if (!validate) return { operation, documented: true, hasSchema: false, errors: [] };
  const valid = validate(body);
  const errors = valid
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
      );
  return { operation, documented: true, hasSchema: true, errors };
}

/** Throws unless the status is documented and the body validates. */
export function assertResponseMatchesSpec(
  flavour: Flavour,
  method: string,
  path: string,
  status: number,
  body: unknown,
): void {
  const check = validateResponse(flavour, method, path, status, body);
  if (!check.documented || check.errors.length > 0) {
    throw new Error(
      `${flavour} ${method.toUpperCase()} ${path} -> ${status} does not match the spec:\n  ${check.errors.join('\n  ')}`,
    );
  }
}
