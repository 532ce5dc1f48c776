// Forgejo (Codeberg and self-hosted): Gitea's API and upload forms, with its own name, secret rules and
// no size limit on API uploads. Its version gates read the Gitea version after `+gitea-` (version.ts).
import type { ForgeAdapter } from './adapter.js';
import { giteaAdapter, giteaFamilyHints } from './gitea.js';

const SECRET_RULE =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression shown to the user, not a template.
  'Forgejo rejects repository secrets whose names start with GITEA_ or GITHUB_ (store the token as e.g. DEPLOY_TOKEN and pass token: ${{ secrets.DEPLOY_TOKEN }}), and a secret named FORGEJO_TOKEN replaces the job token';

export const forgejoAdapter: ForgeAdapter = {
  ...giteaAdapter,
  flavour: 'forgejo',
  archiveLinksSetting: true,
  // Forgejo does not enforce [attachment] MAX_SIZE on API uploads: a 413 comes from a proxy in front.
  hints: giteaFamilyHints(
    'Forgejo',
    SECRET_RULE,
    'Forgejo sets no size limit on release uploads through the API, so a reverse proxy in front of it refused the request: raise its limit (nginx client_max_body_size, for example).',
  ),
  uncertainCreateHint:
    ' Forgejo answers 500 when two jobs create the same release at once (Forgejo 1.20 also while creating it), and for a tag name git does not accept.',
};
