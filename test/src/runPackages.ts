/**
 * Checks that Baton installs like real software, from what it ships:
 *
 * 1. `npm pack` of the CLI package (server/) gives a tarball with no
 *    dependencies (the CLI is one bundle); `npm install -g --offline` into a
 *    temp prefix installs it, and its `baton` runs a pipeline in a folder far
 *    from the repository (so no workspace `node_modules` can help).
 * 2. `npm run package -w extension` builds the `.vsix` without the network;
 *    code-server's `--install-extension` installs it into a clean extensions
 *    folder, and a test in that VS Code's extension host runs a pipeline with
 *    the installed copy (test/src/packaged/).
 *
 * Exit code 0 when both hold, 1 otherwise. BATON_TEST_KEEP=1 keeps the temp folder.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAllCleanups } from './harness/cleanup';
import { runExtensionTests } from './harness/extensionTests';
import { ensureCodeServer } from './harness/installCodeServer';
import { extensionDir, fixturesDir, repoRoot } from './harness/paths';

/** Proxies that lead nowhere: a step that needed the network would fail instead of passing by luck. */
const OFFLINE_VARIABLES: NodeJS.ProcessEnv = {
  npm_config_offline: 'true',
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
};
const OFFLINE: NodeJS.ProcessEnv = { ...process.env, ...OFFLINE_VARIABLES };

const PIPELINE = `name: Packed
stages:
  hello:
    run: echo "hello from the packed baton"
  after:
    needs: [hello]
    run: echo "and after it"
`;

function log(line: string): void {
  process.stdout.write(`[packages] ${line}\n`);
}

/** Runs a command and returns its stdout; throws with its output when it fails. */
function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): string {
  try {
    return execFileSync(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${failed.status}):\n${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    );
  }
}

/** Packs, installs and runs the CLI. */
function checkCli(temp: string): void {
  const packed = JSON.parse(
    run('npm', ['pack', '-w', 'server', '--pack-destination', temp, '--json'], { cwd: repoRoot }),
  ) as { filename: string; files: { path: string }[] }[];
  const tarball = path.join(temp, packed[0]?.filename ?? '');
  log(`packed ${path.basename(tarball)}: ${packed[0]?.files.map((f) => f.path).join(', ')}`);
  const manifest = JSON.parse(
    run('tar', ['-xOzf', tarball, 'package/package.json'], { cwd: temp }),
  ) as { dependencies?: Record<string, string> };
  if (manifest.dependencies && Object.keys(manifest.dependencies).length > 0) {
    throw new Error(
      `the CLI package must need nothing at run time (it is one bundle), but lists ${Object.keys(manifest.dependencies).join(', ')}`,
    );
  }
  const prefix = path.join(temp, 'prefix');
  run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], {
    cwd: temp,
    env: OFFLINE,
  });
  const baton = path.join(prefix, 'bin', 'baton');
  const project = path.join(temp, 'some-project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'packed.pipeline.yaml'), PIPELINE);
  // Only the installed files: no NODE_PATH, and a PATH where `baton` is the installed one.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.dirname(baton)}:${process.env['PATH'] ?? ''}`,
  };
  delete env['NODE_PATH'];
  const version = run('baton', ['--version'], { cwd: project, env }).trim();
  const output = run('baton', ['run', 'packed.pipeline.yaml', '--yes'], { cwd: project, env });
  if (!output.includes('hello from the packed baton') || !output.includes('and after it')) {
    throw new Error(`the installed baton did not run the pipeline:\n${output}`);
  }
  const status = run('baton', ['status'], { cwd: project, env });
  if (!/succeeded/.test(status)) throw new Error(`baton status shows no succeeded run:\n${status}`);
  log(`installed baton ${version} ran a pipeline in ${project}`);
}

/** Packages the extension, installs the .vsix into a clean code-server and runs a pipeline with it. */
async function checkVsix(): Promise<boolean> {
  run('npm', ['run', 'package', '-w', 'extension'], { cwd: repoRoot, env: OFFLINE });
  const vsix = path.join(extensionDir, 'baton.vsix');
  log(`packaged ${path.relative(repoRoot, vsix)} (${fs.statSync(vsix).size} bytes)`);
  await ensureCodeServer();
  const code = await runExtensionTests({
    fixture: 'workspace-extension',
    extensionDevelopmentPath: path.join(fixturesDir, 'packaged-host'),
    extensionTestsPath: path.join(__dirname, 'packaged', 'index.js'),
    timeoutMs: 180_000,
    beforeStart: async (sandbox, entry) => {
      const installed = run(
        process.execPath,
        [entry, '--install-extension', vsix, '--extensions-dir', sandbox.extensionsDir],
        { cwd: sandbox.root, env: { ...sandbox.env, ...OFFLINE_VARIABLES } },
      );
      log(installed.trim().split('\n').at(-1) ?? '');
    },
  });
  return code === 0;
}

async function main(): Promise<number> {
  const started = Date.now();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-packages-'));
  try {
    checkCli(temp);
    const vsixOk = await checkVsix();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`package checks ${vsixOk ? 'passed' : 'FAILED'} in ${seconds} s\n`);
    return vsixOk ? 0 : 1;
  } finally {
    if (process.env['BATON_TEST_KEEP'] !== '1') fs.rmSync(temp, { recursive: true, force: true });
  }
}

void main()
  .catch((error: unknown) => {
    process.stderr.write(
      `package checks failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  })
  .then(async (code) => {
    await runAllCleanups();
    process.exit(code);
  });
