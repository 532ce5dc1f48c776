/** Where in a file a problem lies, so the runner can annotate it. */
export interface FileLocation {
  file: string;
  line?: number;
}

/**
 * An expected failure the user can act on: printed as its message alone, never with a stack.
 * Anything else that reaches the runner is a bug and is reported as unexpected.
 */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly location?: FileLocation,
    /** Outputs to set even though the step fails (e.g. the files that did upload). */
    readonly outputs?: Record<string, string | number | boolean | null | undefined>,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

/** A bad input value; the message always names the input. */
export class InputError extends ActionError {
  constructor(
    readonly input: string,
    problem: string,
  ) {
    super(`Input '${input}' ${problem}`);
    this.name = 'InputError';
  }
}

/** What packages log through, so they stay free of @actions/core; the kit's `log` fits it. */
export interface Logger {
  info(message: string): void;
  warning(message: string, location?: FileLocation): void;
  debug(message: string): void;
}
