import * as core from '@actions/core';

// The runner masks registered secrets in what it shows, but only on a runner: local runs, tests and
// error texts built from server replies would still carry them. Everything the kit prints is
// passed through redact() as well.
const secrets = new Set<string>();

export function registerSecret(value: string): void {
  const trimmed = value.trim();
  if (trimmed.length < 4) return;
  secrets.add(trimmed);
  core.setSecret(trimmed);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}
