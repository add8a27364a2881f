import { ErrorCodes } from '@baton/protocol';
import type { SecretsMissingData } from '@baton/protocol';

/**
 * The secret names a `SecretsMissing` error lists, or undefined for any
 * other error (a `ResponseError` of vscode-languageclient carries `code` and
 * `data` as the server sent them).
 */
export function missingSecretsOf(error: unknown): readonly string[] | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, data } = error as { code?: unknown; data?: Partial<SecretsMissingData> };
  if (code !== ErrorCodes.SecretsMissing || !Array.isArray(data?.missing)) return undefined;
  const names = data.missing.filter((name): name is string => typeof name === 'string');
  return names.length > 0 ? names : undefined;
}

/** The secret names the workspace's pipelines declare, sorted, each with the pipelines that use it. */
export function declaredSecrets(
  pipelines: readonly { readonly name: string; readonly secrets?: readonly string[] }[],
): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const pipeline of pipelines) {
    for (const name of pipeline.secrets ?? []) {
      users.set(name, [...(users.get(name) ?? []), pipeline.name]);
    }
  }
  return new Map([...users].sort(([a], [b]) => a.localeCompare(b)));
}
