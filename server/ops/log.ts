import pino, { type DestinationStream, type Level, type Logger } from "pino";
import pinoPretty from "pino-pretty";

export type { Logger };

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: LogLevel;
  /** Human-readable lines (pino-pretty); the default is JSON lines unless stdout is a terminal. */
  pretty?: boolean;
  /** Where JSON lines go; stdout by default. Tests pass a stream that keeps them. */
  destination?: DestinationStream;
}

/** An e-mail address (a dotted domain with a letter TLD), so package ids like "pkg@1.2.0" stay readable. */
const EMAIL = /[^\s<>"'(),;:@/=]+@[^\s<>"'(),;:@/]+\.[a-z]{2,}\b/gi;

function scrubbed<T extends { message: string; stack: string }>(error: T): T {
  return { ...error, message: error.message.replace(EMAIL, "[e-mail]"), stack: error.stack.replace(EMAIL, "[e-mail]") };
}

/** Fields that carry identity or a visitor's words; pino blanks them wherever a caller puts them by mistake. */
const IDENTITY_FIELDS = ["email", "name", "*.email", "*.name", "req.headers.authorization", "req.headers.cookie"];

/**
 * The server's one logger: JSON lines (time, level, msg and fields) on stdout, pretty on a terminal.
 * Written synchronously, so the last lines before an exit are not lost.
 */
export function createLogger({ level = "info", pretty = process.stdout.isTTY === true, destination }: LoggerOptions = {}): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: IDENTITY_FIELDS, censor: "[redacted]" },
    // A library's error can quote a value it choked on (a database "Key (email)=(…)"): no e-mail survives in it.
    serializers: { err: (error: Error) => scrubbed(pino.stdSerializers.err(error)) },
  };
  if (destination) return pino(options, destination);
  return pino(
    options,
    pretty
      ? pinoPretty({ sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: REQUEST_FIELDS, messageFormat: prettyMessage })
      : pino.destination({ dest: 1, sync: true }),
  );
}

const LEVEL_PREFIX = /^(warn|error):\s+/;

/** On a terminal a request is one line: "POST /api/ask 200 41.7 ms [request id]". */
const REQUEST_FIELDS = "pid,hostname,reqId,method,route,status,ms";
function prettyMessage(entry: Record<string, unknown>, messageKey: string): string {
  if (entry[messageKey] !== "request") return String(entry[messageKey] ?? "");
  return `${entry.method} ${entry.route} ${entry.status} ${entry.ms} ms [${entry.reqId}]`;
}

/**
 * The `(line) => void` log function the rest of the server takes, over a pino logger: a leading "warn: " or
 * "error: " sets the level, and anything shaped like an e-mail address is replaced before the line is written.
 */
export function lineLog(logger: Logger): (line: string) => void {
  return (line) => {
    const prefix = LEVEL_PREFIX.exec(line);
    const level: Level = (prefix?.[1] as Level | undefined) ?? "info";
    logger[level]((prefix ? line.slice(prefix[0].length) : line).replace(EMAIL, "[e-mail]"));
  };
}
