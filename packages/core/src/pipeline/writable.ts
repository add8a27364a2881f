/** `T` with its top-level properties writable: for building readonly model objects step by step. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };
