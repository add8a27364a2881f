/**
 * Pipelines that try to leak secrets, change state by printing, and inject
 * shell code through inputs. Stages write what they really saw to files
 * outside the state directory, so tests know the secrets did reach them (and
 * masking was not trivially easy).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Three secrets of the three kinds, long and random so a hit is never a coincidence. */
export interface Secrets {
  /** Value of the environment variable `CHAOS_TOKEN`, listed under `secrets:`. */
  readonly token: string;
  /** Value of the secret input `api_key`. */
  readonly apiKey: string;
  /** Prefix of the value the stage makes up and masks with `::add-mask::` (written to `dynamicFile`). */
  readonly dynamicFile: string;
}

/** Makes fresh secret values; `dynamicFile` will hold the stage's own secret. */
export function makeSecrets(workspace: string): Secrets {
  return {
    token: `tok-${randomBytes(12).toString('hex')}`,
    apiKey: `key-${randomBytes(12).toString('hex')}`,
    dynamicFile: path.join(workspace, 'dynamic-secret.txt'),
  };
}

/**
 * A stage prints every secret on stdout and stderr, in progress, annotations,
 * a prompt's question and an output that the next stage prints. With
 * `secretDefault` the prompt's default (which `--yes` takes) is the stage's
 * masked value, so the answer is secret too. `seen.txt` gets what the stage
 * received.
 */
export async function writeSecretsPipeline(
  workspace: string,
  secrets: Secrets,
  options: { readonly secretDefault?: boolean } = {},
): Promise<string> {
  const seen = path.join(workspace, 'seen.txt');
  const promptDefault = options.secretDefault === true ? '$DYN' : 'plain-default';
  const yaml = `name: secrets
secrets: [CHAOS_TOKEN]
inputs:
  api_key: { secret: true }
stages:
  leak:
    run: |
      DYN="dyn-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \\n')"
      echo "$DYN" > ${JSON.stringify(secrets.dynamicFile)}
      echo "::add-mask::$DYN"
      echo "stdout $CHAOS_TOKEN \${{ inputs.api_key }} $DYN"
      echo "stderr $CHAOS_TOKEN \${{ inputs.api_key }} $DYN" >&2
      echo "::progress value=1,total=2::$CHAOS_TOKEN $DYN"
      echo "::warning title=$DYN::$CHAOS_TOKEN \${{ inputs.api_key }}"
      echo "::debug::$DYN"
      echo "::prompt id=q,type=text,default=${promptDefault}::Say $CHAOS_TOKEN"
      read -r answer
      echo "answer $answer"
      echo "$CHAOS_TOKEN \${{ inputs.api_key }} $DYN $answer" > ${JSON.stringify(seen)}
      echo "out=$CHAOS_TOKEN" >> "$BATON_OUTPUT"
  next:
    needs: [leak]
    run: echo "next got \${{ stages.leak.outputs.out }}"
`;
  const file = path.join(workspace, 'secrets.pipeline.yaml');
  await fs.writeFile(file, yaml);
  return seen;
}

/** The values a secrets run must never show: the two given and the stage's own. */
export async function secretValues(secrets: Secrets): Promise<string[]> {
  const dynamic = (await fs.readFile(secrets.dynamicFile, 'utf8')).trim();
  return [secrets.token, secrets.apiKey, dynamic];
}

/** Files under a run directory that the stage itself writes (Baton cannot mask them). */
export function isStageWrittenFile(file: string): boolean {
  return /[/\\](outputs|summary|state)[/\\]/.test(file);
}

/**
 * A stage that prints everything that would change state if printed text
 * counted (`::set-output`, `name=value`, a fake event line, an answer to its
 * own prompt) while its output file says `result=good`. `answer.txt` gets the
 * prompt answer it read, `read.txt` what the next stage got.
 */
export async function writeEchoPipeline(
  workspace: string,
): Promise<{ answer: string; read: string }> {
  const answer = path.join(workspace, 'answer.txt');
  const read = path.join(workspace, 'read.txt');
  const yaml = `name: echoes
stages:
  talker:
    run: |
      echo "::set-output name=result::evil"
      echo "result=evil"
      echo "::save-state name=result::evil"
      echo "::set-env name=EVIL::evil"
      echo '{"type":"stageExited","stage":"reader","attempt":1,"exitCode":0,"random":0,"at":0,"seq":2}'
      echo "::prompt id=q,type=text,default=fine::Anything?"
      echo "evil"
      read -r answer
      echo "$answer" > ${JSON.stringify(answer)}
      echo "result=good" >> "$BATON_OUTPUT"
  reader:
    needs: [talker]
    run: echo "\${{ stages.talker.outputs.result }}" > ${JSON.stringify(read)}
`;
  await fs.writeFile(path.join(workspace, 'echoes.pipeline.yaml'), yaml);
  return { answer, read };
}

/** Input values that would run commands if they were pasted into the shell text. */
export function injectionValues(marker: string): string[] {
  return [
    `$(touch ${marker}-1)`,
    `"; touch ${marker}-2; "`,
    `\`touch ${marker}-3\``,
    `'; touch ${marker}-4; '`,
    `a; touch ${marker}-5`,
    `x || touch ${marker}-6`,
  ];
}

/** A pipeline using inputs x1..x<count> quoted, unquoted and through `env`; `literal.txt` gets the quoted values. */
export async function writeInjectionPipeline(workspace: string, count: number): Promise<string> {
  const literal = path.join(workspace, 'literal.txt');
  const inputs = Array.from({ length: count }, (_, i) => `  x${i + 1}: {}`).join('\n');
  const quoted = Array.from(
    { length: count },
    (_, i) => `printf '%s\\n' "\${{ inputs.x${i + 1} }}" >> ${JSON.stringify(literal)}`,
  ).join('\n      ');
  const bare = Array.from({ length: count }, (_, i) => `echo \${{ inputs.x${i + 1} }}`).join(
    '\n      ',
  );
  const yaml = `name: inject
inputs:
${inputs}
stages:
  use:
    env: { V: "\${{ inputs.x1 }}" }
    run: |
      ${quoted}
      ${bare}
      printf '%s\\n' "$V"
`;
  await fs.writeFile(path.join(workspace, 'inject.pipeline.yaml'), yaml);
  return literal;
}
