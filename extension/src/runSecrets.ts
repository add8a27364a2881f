import type { RunSecrets } from '@baton/protocol';
import type { Ctx } from './ctx';
import type { CommandTarget } from './model/commandArgs';
import { declaredSecrets, missingSecretsOf } from './model/missingSecrets';
import { askText } from './vscode/inputBox';
import { pickOne } from './vscode/quickPick';
import type { SecretStore } from './vscode/secretStore';
import { showInfo } from './vscode/windowMessages';

/** A name an environment variable may have (as the pipeline format's `secrets:` checks). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Sends a request that starts, resumes or retries a run, and gives the
 * server the secrets it lacks. The request says `secretsRequired`; when the
 * server answers `SecretsMissing`, each missing value comes from VS Code's
 * SecretStorage or, failing that, from the user (a masked box, with an offer
 * to remember it), and the request goes again with them. Values travel only
 * in that request: the server holds them in memory for the run, and nothing
 * here writes them anywhere. Resolves undefined when the user dismissed a
 * question (nothing started).
 */
export async function sendWithSecrets<P extends RunSecrets, R>(
  send: (params: P, carriesSecrets: boolean) => Promise<R>,
  params: P,
  store: SecretStore,
  forWhat: string,
): Promise<R | undefined> {
  const secrets: Record<string, string> = {};
  // Each round adds at least one name, so this ends.
  for (;;) {
    const given = Object.keys(secrets).length > 0;
    try {
      return await send({ ...params, secretsRequired: true, ...(given ? { secrets } : {}) }, given);
    } catch (error) {
      const missing = missingSecretsOf(error)?.filter((name) => !(name in secrets));
      if (missing === undefined || missing.length === 0) throw error;
      for (const name of missing) {
        const value = (await store.get(name)) ?? (await askSecret(name, forWhat, store));
        if (value === undefined) return undefined;
        secrets[name] = value;
      }
    }
  }
}

/** Asks for a secret nothing sets, in a masked box; offers to remember it. */
async function askSecret(
  name: string,
  forWhat: string,
  store: SecretStore,
): Promise<string | undefined> {
  const value = await askText({
    title: `${forWhat} needs the secret ${name}`,
    prompt: `Nothing sets ${name} (environment, env:, .env). Baton gives it to this run's stages, masks it in every log and writes it to no file.`,
    password: true,
    validate: (text) => (text === '' ? 'Type the value, or press Escape to cancel.' : undefined),
  });
  if (value === undefined) return undefined;
  const remember = await pickOne<boolean>(
    [
      { label: 'Use it for this run only', value: false },
      {
        label: "Remember it in VS Code's secret storage",
        description: 'later runs of this workspace use it without asking',
        value: true,
      },
    ],
    { title: `Remember ${name}?`, placeholder: 'Enter uses it for this run only' },
  );
  // Dismissing this question still answers the first one: the run gets the value.
  if (remember === true) await store.store(name, value);
  return value;
}

/**
 * "Baton: Set Secret…": stores a value in VS Code's SecretStorage for a name
 * the workspace's pipelines list under `secrets:` (or the name given as the
 * command's argument); an empty value forgets the stored one. Runs use a
 * stored value when nothing else (environment, `env:`, `.env`) sets the name.
 */
export async function setSecret(
  ctx: Ctx,
  _target: CommandTarget,
  args: readonly unknown[],
): Promise<void> {
  const name = typeof args[0] === 'string' ? args[0] : await pickSecretName(ctx);
  if (name === undefined) return;
  if (!VARIABLE_NAME.test(name)) {
    throw new Error(`"${name}" is not an environment variable name`);
  }
  const value = await askText({
    title: `Baton: Set Secret ${name}`,
    prompt: `Stored in VS Code's secret storage for this workspace, never in a file or setting. Leave empty to forget the stored value.`,
    password: true,
  });
  if (value === undefined) return;
  if (value === '') {
    await ctx.secrets.delete(name);
    void showInfo(`Baton forgot the stored value of ${name}.`);
  } else {
    await ctx.secrets.store(name, value);
    void showInfo(`Baton stored ${name}: runs that lack it use it.`);
  }
}

async function pickSecretName(ctx: Ctx): Promise<string | undefined> {
  const declared = declaredSecrets(ctx.store.pipelines);
  if (declared.size === 0) {
    void showInfo(
      'No pipeline of this workspace lists secrets: (environment variables whose values are masked).',
    );
    return undefined;
  }
  return pickOne(
    [...declared].map(([name, users]) => ({
      label: name,
      description: users.join(', '),
      value: name,
    })),
    { title: 'Baton: Set Secret', placeholder: 'The secret to store' },
  );
}
