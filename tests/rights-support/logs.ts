import type { DestinationStream } from "pino";
import { createLogger, type Logger } from "../../server/ops/log.js";

export interface LogEntry {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/**
 * A real pino logger (the server's own settings) writing into memory. `lines` are the raw JSON lines as the
 * server would print them; `entries()` parses every one and throws on a line that is not JSON.
 */
export function memoryLogger({ onLine }: { onLine?: (line: string) => void } = {}) {
  const lines: string[] = [];
  const destination: DestinationStream = {
    write(chunk: string) {
      for (const line of chunk.split("\n")) {
        if (!line) continue;
        lines.push(line);
        onLine?.(line);
      }
    },
  };
  const logger: Logger = createLogger({ level: "debug", destination });
  return { logger, lines, entries: (): LogEntry[] => lines.map((line) => JSON.parse(line) as LogEntry) };
}
