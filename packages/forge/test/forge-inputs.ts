import { Inputs } from '../../action-kit/src/inputs.js';

/** An action.yml default expression, `${{ github.<name> }}`. */
const github = (name: string) => `\${{ github.${name} }}`;

/** The forge inputs every release action declares, with the defaults they declare. */
const METADATA = {
  name: 'test',
  outputs: [],
  inputs: {
    token: { default: github('token') },
    'server-url': { default: github('server_url') },
    'api-url': { default: '' },
    repository: { default: github('repository') },
    forge: { default: 'auto' },
    'write-spacing': { default: '' },
  },
};

/** The kit's Inputs over those inputs, as a runner would set `values` (with `env` as the runner's). */
export function forgeInputs(values: Record<string, string>, env: Record<string, string> = {}): Inputs {
  const all: NodeJS.ProcessEnv = { ...env };
  for (const [k, v] of Object.entries(values)) all[`INPUT_${k.toUpperCase()}`] = v;
  return new Inputs(METADATA, all);
}
