/** A copy of `T` whose fields can be assigned, for building readonly model objects step by step. */
export type Draft<T> = { -readonly [K in keyof T]: T[K] };
