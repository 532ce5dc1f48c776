// The docker CLI, run without a shell against a private DOCKER_CONFIG, so the registry credentials
// stay out of the user's ~/.docker and vanish with the runner's temp folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { type CommandResult, childEnvironment, runCommand, which } from '@forge-actions/system';

export class DockerCli {
  readonly configDir: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly logger: Logger,
    tempRoot = process.env.RUNNER_TEMP || tmpdir(),
    readonly program = 'docker',
  ) {
    if (!which(program))
      throw new ActionError(`${program} was not found on PATH; this step needs the Docker CLI`);
    this.configDir = mkdtempSync(join(tempRoot, 'docker-config-'));
    this.env = { DOCKER_CONFIG: this.configDir };
  }

  /** Runs docker, streaming its output to the log; a failure throws with the last lines of stderr. */
  async run(args: string[], what: string, quiet = false): Promise<CommandResult> {
    const result = await this.tryRun(args, quiet);
    if (result.code !== 0) {
      const detail = result.stderr.slice(-5).join(' ').trim();
      throw new ActionError(`${what} failed (docker exit ${result.code})${detail ? `: ${detail}` : ''}`);
    }
    return result;
  }

  tryRun(args: string[], quiet = false): Promise<CommandResult> {
    return runCommand(this.program, args, {
      env: this.env,
      onLine: quiet ? undefined : (line) => this.logger.info(line),
    });
  }

  /** `docker login --password-stdin`: the password goes through a pipe, never the command line. */
  login(registry: string, username: string, password: string): Promise<CommandResult> {
    return new Promise((resolve) => {
      const result: CommandResult = { code: 0, stdout: [], stderr: [] };
      const child = spawn(this.program, ['login', registry, '--username', username, '--password-stdin'], {
        env: { ...childEnvironment(), ...this.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (chunk: Buffer) => result.stdout.push(...lines(chunk)));
      child.stderr.on('data', (chunk: Buffer) => result.stderr.push(...lines(chunk)));
      child.on('error', (error) => {
        result.code = 127;
        result.stderr.push(error.message);
        resolve(result);
      });
      child.on('close', (code) => {
        result.code = code ?? 1;
        resolve(result);
      });
      child.stdin.on('error', () => {}); // docker may exit before reading (bad registry); the exit code tells
      child.stdin.end(password);
    });
  }

  /** Forgets the credentials: the private config folder goes away. */
  cleanup(): void {
    rmSync(this.configDir, { recursive: true, force: true });
  }
}

function lines(chunk: Buffer): string[] {
  return chunk
    .toString('utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
}
