/**
 * @baton/protocol: the wire contract between Baton's server and its clients.
 * Types, method-name constants, error codes and what statuses mean; it imports nothing.
 * docs/protocol.md describes every message with an example exchange.
 */

/** The protocol's version; bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/** The default cap on one frame's body, in bytes (64 MiB). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export * from './wireModel';
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
