import { MessageType, type MessageTypeValue } from '@baton/protocol';

/** Log levels, most severe first. */
export type LogLevel = 'error' | 'warn' | 'info' | 'log' | 'trace';

const LEVEL_RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, log: 3, trace: 4 };
const LEVEL_TYPE: Record<LogLevel, MessageTypeValue> = {
  error: MessageType.Error,
  warn: MessageType.Warning,
  info: MessageType.Info,
  log: MessageType.Log,
  trace: MessageType.Debug,
};

/** Levelled logging for server code. Lines go to the client (`window/logMessage`), never to stdout or stderr. */
export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
  log(message: string): void;
  trace(message: string): void;
  /** Messages below this level are dropped. */
  level: LogLevel;
}

/** Where log lines end up: the connection sends them as `window/logMessage`. */
export type LogSink = (type: MessageTypeValue, message: string) => void;

/** Creates a logger writing to `sink`, dropping messages below `level` (default `log`). */
export function createLogger(sink: LogSink, level: LogLevel = 'log'): Logger {
  const logger: Logger = {
    level,
    error: (message, error) => emit('error', withCause(message, error)),
    warn: (message) => emit('warn', message),
    info: (message) => emit('info', message),
    log: (message) => emit('log', message),
    trace: (message) => emit('trace', message),
  };
  function emit(messageLevel: LogLevel, message: string): void {
    if (LEVEL_RANK[messageLevel] > LEVEL_RANK[logger.level]) return;
    sink(LEVEL_TYPE[messageLevel], message);
  }
  return logger;
}

/** Appends an error's stack (or its text) to a message. */
function withCause(message: string, error: unknown): string {
  if (error === undefined) return message;
  if (error instanceof Error) return `${message}: ${error.stack ?? error.message}`;
  return `${message}: ${String(error)}`;
}
