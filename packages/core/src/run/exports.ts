import type { StageExports } from './state';

/**
 * What a stage receives from the stages it needs: their exported variables
 * (a later entry of `needs` wins a name both set) and their `PATH`
 * directories (those of the first need first, each once). Undefined when
 * none of them exported anything, so most spawn effects stay as they were.
 * Only direct needs count, like outputs: a stage reads what the stages it
 * names hand it, not what their own needs handed them.
 */
export function inheritedExports(
  exports: readonly (StageExports | undefined)[],
): StageExports | undefined {
  const env: Record<string, string> = {};
  const path: string[] = [];
  let any = false;
  for (const exported of exports) {
    if (exported === undefined) continue;
    Object.assign(env, exported.env);
    for (const dir of exported.path) if (!path.includes(dir)) path.push(dir);
    any ||= Object.keys(exported.env).length > 0 || exported.path.length > 0;
  }
  return any ? { env, path } : undefined;
}
