/** @baton/server: the engine, the JSON-RPC server and the CLI. */
export {};
