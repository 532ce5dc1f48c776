// What a package sees of the action around it, as plain types (no @actions/core): the inputs to read its
// request from, the runner's context, and the log groups its phases run in. Each package's `read…`
// function takes an InputReader; its orchestration takes a Phase. The kit's Inputs and group fit them.
import type { Inputs } from './inputs.js';

export type { Runner } from './runner.js';

/** The kit's typed input readers, as a package may use them. */
export type InputReader = Omit<Inputs, 'unexpected'>;

/** Runs one phase of the work; the action passes the kit's `group` so each phase is a log group. */
export type Phase = <T>(title: string, run: () => Promise<T>) => Promise<T>;
