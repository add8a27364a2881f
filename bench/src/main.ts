/** Baton benchmarks entry point (filled in by the benchmarks issue). */
export {};
