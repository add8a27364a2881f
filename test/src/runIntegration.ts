/** Runs the extension-host integration tests (filled in by the extension issue). */
export {};
