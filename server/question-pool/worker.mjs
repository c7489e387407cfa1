// The pool's worker entry. Plain JavaScript, so a worker thread can load it in any process (the server under
// `node --import tsx`, vitest, a script): a worker thread does not inherit the parent's `--import tsx` hooks, so it
// registers tsx itself, then loads the TypeScript task handler.
import { register } from "tsx/esm/api";

register();

export default (await import("./worker.ts")).default;
