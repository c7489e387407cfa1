/** The hard limit for a shutdown: a process manager waits about this long before it sends SIGKILL. */
export const SHUTDOWN_LIMIT_MS = 10_000;

/**
 * SIGTERM or SIGINT closes the server (no new connections, requests in flight finish, outbox leases released,
 * database closed) and exits 0; a shutdown still running after 10 s, or a second signal, exits 1 at once.
 */
export function closeOnSignals(server: { close(): Promise<void> }, log: (line: string) => void): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) {
        log(`warn: ${signal} again during shutdown: exiting now`);
        process.exit(1);
      }
      stopping = true;
      log(`${signal}: shutting down`);
      setTimeout(() => {
        log(`error: shutdown not finished after ${SHUTDOWN_LIMIT_MS / 1000} s: exiting`);
        process.exit(1);
      }, SHUTDOWN_LIMIT_MS).unref();
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log(`error: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    });
  }
}
