/**
 * Fault injection for tests of durability: a named point in the engine where
 * the process kills itself with SIGKILL when `BATON_TEST_CRASH_AT` names it,
 * so a test can crash a real `baton run` exactly between two steps (say,
 * after a stage's handle is in the event log and before its job is added).
 * Without the variable it does nothing; nobody sets it outside tests.
 */

/** The variable that names the crash point a test wants. */
export const CRASH_AT_VARIABLE = 'BATON_TEST_CRASH_AT';

/** Kills this process at once (SIGKILL: no cleanup, as a crash) when `point` is the one asked for. */
export function crashPoint(point: string): void {
  if (process.env[CRASH_AT_VARIABLE] === point) process.kill(process.pid, 'SIGKILL');
}
