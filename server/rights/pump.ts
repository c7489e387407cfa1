/**
 * Runs `work` now and then every `intervalMs`, never twice at once; `kick()` asks for an early run.
 * Errors are reported and the next run tries again, so a broken SMTP server or helpdesk never stops the server.
 * `work` is told when `stop()` was called, so a batch in progress can hand back what it has not started.
 */
export function createPump(work: (stopping: () => boolean) => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void) {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await work(() => stopped);
        } catch (error) {
          onError(error);
        }
      } while (again && !stopped);
      running = null;
    })();
    return running;
  };
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return {
    kick: () => void run(),
    /** Runs now (or once more after the current run) and resolves when that run is over. */
    runNow: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
