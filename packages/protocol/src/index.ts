/** @baton/protocol: the wire contract between Baton's server and its clients. Types and constants only. */
export const PROTOCOL_VERSION = 1;
