/**
 * @baton/core: the pure orchestrator. No I/O, no timers, no Node built-ins:
 * time, ids and randomness come in as inputs.
 */
export type * from './pipeline/model';
export type * from './run/state';
export type * from './run/events';
export type * from './run/effects';
