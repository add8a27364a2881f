import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturesDir } from './paths';

/** The per-run directories that keep code-server away from `~` and `/tmp`. */
export interface Sandbox {
  /** Temp root holding everything below; removed at the end. */
  readonly root: string;
  /** The workspace folder VS Code opens: a fresh copy of the fixture. */
  readonly workspace: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Environment for code-server: XDG_* and TMPDIR point inside {@link root}. */
  readonly env: NodeJS.ProcessEnv;
}

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** Folder copied as the workspace: a name under test/fixtures/, or an absolute path. */
  readonly fixture: string;
  /** User settings merged over the harness defaults. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/**
 * Settings that keep the workbench quiet and deterministic: no welcome page,
 * no trust prompt, no update or gallery traffic, no tips.
 */
const defaultSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'files.hotExit': 'off',
};

/**
 * Creates the per-run directory tree: a writable copy of the fixture workspace
 * (tests may write run state into it without touching the repository), user
 * data with settings, an empty extensions dir and private XDG/TMP dirs.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const fixture = path.resolve(fixturesDir, options.fixture);
  if (!fs.statSync(fixture, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`fixture workspace ${fixture} does not exist`);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-vscode-'));
  const dir = (...parts: string[]): string => {
    const full = path.join(root, ...parts);
    fs.mkdirSync(full, { recursive: true });
    return full;
  };
  const workspace = path.join(root, 'workspace');
  fs.cpSync(fixture, workspace, { recursive: true });
  const userDataDir = dir('user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...defaultSettings, ...options.settings }, null, 2),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: dir('xdg', 'config'),
    XDG_DATA_HOME: dir('xdg', 'data'),
    XDG_CACHE_HOME: dir('xdg', 'cache'),
    TMPDIR: dir('tmp'),
    // No gallery: code-server would query open-vsx.org, unreachable offline.
    EXTENSIONS_GALLERY: '{}',
  };
  return { root, workspace, userDataDir, extensionsDir: dir('extensions'), env };
}

/** Removes the sandbox; unless BATON_TEST_KEEP=1, which keeps it for post-mortems. */
export function removeSandbox(sandbox: Sandbox): void {
  if (process.env['BATON_TEST_KEEP'] === '1') {
    process.stderr.write(`[harness] kept ${sandbox.root}\n`);
    return;
  }
  fs.rmSync(sandbox.root, { recursive: true, force: true });
}
