import { runAction } from '@forge-actions/action-kit';

await runAction(import.meta.url, async (inputs) => ({ version: inputs.string('version') }));
