/** The durable state store: layout, atomic files, event log, logs, locks, inbox. */
export * from './atomicFile';
export * from './eventLog';
export * from './inbox';
export * from './lineScanner';
export * from './lock';
export * from './lockOwner';
export * from './logWriter';
export * from './paths';
export * from './processIdentity';
export * from './runId';
export * from './runStateShape';
export * from './runStore';
export * from './storeError';
