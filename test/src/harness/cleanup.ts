/**
 * Process-wide list of things to tear down (code-server, Chromium, temp dirs),
 * run on normal completion, on failure and on SIGINT/SIGTERM, so a test run
 * never leaves a server or a browser behind.
 */
type Cleanup = () => Promise<void> | void;

const pending = new Set<Cleanup>();
let signalsHooked = false;

/**
 * Registers `cleanup` and returns a function that runs it once and
 * unregisters it. Runs at most once, however it is reached.
 */
export function registerCleanup(cleanup: Cleanup): () => Promise<void> {
  hookSignals();
  let done: Promise<void> | undefined;
  const once: Cleanup = () => {
    done ??= Promise.resolve().then(cleanup);
    return done;
  };
  pending.add(once);
  return async () => {
    pending.delete(once);
    await once();
  };
}

/** Runs every registered cleanup, newest first, reporting (not throwing) failures. */
export async function runAllCleanups(): Promise<void> {
  const all = [...pending].reverse();
  pending.clear();
  for (const cleanup of all) {
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(`[harness] cleanup failed: ${String(error)}\n`);
    }
  }
}

function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`[harness] ${signal}: stopping code-server and Chromium\n`);
      void runAllCleanups().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}
