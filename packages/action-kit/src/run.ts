import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import { ActionError } from './errors.js';
import { Inputs } from './inputs.js';
import { type ActionMetadata, bundledMetadata } from './metadata.js';
import { type Runner, runnerContext } from './runner.js';
import { redact } from './secrets.js';

type OutputValue = string | number | boolean | null | undefined;
export type Outputs = Record<string, OutputValue>;

/**
 * Runs an action: loads `../action.yml` next to the calling module (the same from `src/main.ts` and
 * from the bundle in `dist/`), hands `main` its inputs and the runner's context, then sets every declared output ('' where `main`
 * gave none). An ActionError fails the step with its one-line message (annotated with its file when
 * it has one); anything else is reported as unexpected, with the stack only under RUNNER_DEBUG.
 */
export async function runAction(
  moduleUrl: string,
  main: (inputs: Inputs, runner: Runner) => Promise<Outputs>,
): Promise<void> {
  try {
    const metadata = await actionMetadata(dirname(fileURLToPath(moduleUrl)));
    const inputs = new Inputs(metadata);
    const unexpected = inputs.unexpected();
    if (unexpected.length > 0) {
      core.warning(
        `Unexpected input(s) ${unexpected.map((name) => `'${name}'`).join(', ')}, ignored; ` +
          `valid inputs are ${Object.keys(metadata.inputs).join(', ')}`,
      );
    }
    try {
      setOutputs(metadata.outputs, await main(inputs, runnerContext()));
    } catch (error) {
      if (error instanceof ActionError && error.outputs) setOutputs(metadata.outputs, error.outputs);
      throw error;
    }
  } catch (error) {
    fail(error);
  }
}

/**
 * action.yml's metadata: from the JSON the build put beside the bundle, else (a run from source) parsed
 * from `../action.yml`, loading the YAML parser only then: it is a tenth of a bundle's start-up.
 */
async function actionMetadata(dir: string): Promise<ActionMetadata> {
  const bundled = bundledMetadata(dir);
  if (bundled) return bundled;
  const { loadActionMetadata } = await import('./action-yml.js');
  return loadActionMetadata(join(dir, '..', 'action.yml'));
}

/** Sets every declared output, '' where none was given; an undeclared one is a bug. */
function setOutputs(declared: string[], outputs: Outputs): void {
  for (const name of Object.keys(outputs)) {
    if (!declared.includes(name)) throw new Error(`action.yml declares no output '${name}'`);
  }
  for (const name of declared) {
    const value = outputs[name];
    core.setOutput(name, value === null || value === undefined ? '' : String(value));
  }
}

function fail(error: unknown): void {
  if (error instanceof ActionError) {
    const { location } = error;
    core.error(redact(error.message), location && { file: location.file, startLine: location.line });
    process.exitCode = core.ExitCode.Failure;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (runnerContext().debug && error instanceof Error && error.stack) {
    core.info(redact(error.stack));
  }
  core.setFailed(redact(`Unexpected error: ${message}`));
}
