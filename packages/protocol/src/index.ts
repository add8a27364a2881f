/**
 * @baton/protocol: the wire contract between Baton's server and its clients.
 * Types, method-name constants, error codes and what statuses mean; it imports nothing.
 * The data shapes mirror what a client needs to show, not the core's internal
 * state, so the core can change without breaking clients. Times are epoch milliseconds.
 * docs/protocol.md describes every message with an example exchange.
 */

/** The protocol's version; bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/** The default cap on one frame's body, in bytes (64 MiB). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export type * from './promptInfo';
export type * from './wirePipeline';
export type * from './stageReports';
export type * from './stageSnapshot';
export type * from './runSummary';
export type * from './runPlans';
export type * from './batonEvent';
export type * from './runSnapshot';
export * from './statuses';
export * from './runNames';
export * from './attempts';
export type * from './runComparison';
export * from './executorConditions';
export * from './errors';
export * from './lifecycle';
export * from './requests';
export * from './timeline';
export * from './items';
export * from './notifications';
export * from './debugging';
export * from './language';
export type * from './maps';
