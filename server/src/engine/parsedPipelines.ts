import type { Pipeline } from '@baton/core';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readChecksummedJson, sha256, writeChecksummedJson } from '../store/checksummedFile';

/** Format version of a parsed-pipeline file; another version is a miss. */
const PARSED_VERSION = 1;

/**
 * The build id the bundler writes into the top of every bundle
 * (esbuild.mjs: a hash of the bundle's own text). Compiled but unbundled code
 * (`server/out`, the tests) has none.
 */
declare const BATON_BUILD_ID: string | undefined;

/** The id of the bundle this code runs in, or undefined outside a bundle. */
export function bundleBuildId(): string | undefined {
  return typeof BATON_BUILD_ID === 'string' ? BATON_BUILD_ID : undefined;
}

/**
 * Whether the model carries values that must never reach a state file: the
 * values of `secrets:` variables written in the file, or defaults of secret
 * inputs. Such a pipeline is parsed every time instead.
 */
function holdsSecrets(pipeline: Pipeline): boolean {
  return pipeline.secretEnv.length > 0 || pipeline.inputs.some((input) => input.secret === true);
}

/** What a parsed-pipeline file says, inside its checksum. */
interface ParsedBody {
  readonly version: number;
  readonly build: string;
  readonly file: string;
  readonly textHash: string;
  readonly pipeline: Pipeline;
}

/**
 * Valid pipelines as the core parsed them, kept under
 * `<stateDir>/parsed/` (beside the record, not in it: `baton cache` does not list it), one file per pipeline file, so a command that
 * only checks (`baton run --dry-run` on a thousand stages) does not parse and
 * validate the same unchanged YAML again: reading the model back as JSON
 * costs a fraction of that.
 *
 * An entry is used only for the very text it was parsed from (SHA-256 of the
 * text), the same absolute path and the same build of Baton (`build`: a
 * parser change in another build could judge the same text otherwise). Its
 * first line is a SHA-256 of the rest (JSON), so a torn or damaged file is a miss and the file is
 * parsed as usual. Only models that survive a JSON round trip unchanged are
 * kept, and none that declares secrets (their values would be written to the
 * state directory, which never holds a secret). Without a build id (code that
 * is not bundled) nothing is cached.
 */
export class ParsedPipelines {
  private readonly dir: string;

  /**
   * @param stateDir the state directory
   * @param build the id of the running build (`bundleBuildId()`); undefined turns the cache off
   */
  constructor(
    stateDir: string,
    private readonly build: string | undefined,
  ) {
    this.dir = path.join(stateDir, 'parsed');
  }

  /** The kept model of `file` (absolute) for exactly this `text`, or undefined. */
  read(file: string, text: string): Pipeline | undefined {
    if (this.build === undefined) return undefined;
    const body = readChecksummedJson<ParsedBody>(this.fileFor(file));
    if (body === undefined) return undefined;
    const current =
      body.version === PARSED_VERSION &&
      body.build === this.build &&
      body.file === file &&
      body.textHash === sha256(text);
    return current && typeof body.pipeline === 'object' ? body.pipeline : undefined;
  }

  /** Keeps the model parsed from `text`; a failure to write only costs a parse next time. */
  async write(file: string, text: string, pipeline: Pipeline): Promise<void> {
    if (this.build === undefined || holdsSecrets(pipeline)) return;
    const json = JSON.stringify(pipeline);
    // A model holding what JSON cannot carry (undefined, Infinity) would come back different.
    if (!isDeepStrictEqual(JSON.parse(json), pipeline)) return;
    // Not written (a read-only or full state directory): the next command parses again.
    await writeChecksummedJson(this.fileFor(file), {
      version: PARSED_VERSION,
      build: this.build,
      file,
      textHash: sha256(text),
      pipeline: JSON.parse(json) as unknown,
    });
  }

  private fileFor(file: string): string {
    return path.join(this.dir, `${sha256(file).slice(0, 16)}.parsed`);
  }
}
