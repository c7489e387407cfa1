import { AsyncLocalStorage } from "node:async_hooks";
import type { Knowledge } from "../knowledge/types.js";

/**
 * The knowledge the routes see, swappable while the server runs. A request pins the knowledge that was current
 * when it arrived (`pinned`), so one that is in flight during a re-index finishes on the old index throughout,
 * even when it asks several questions of it.
 */
export class LiveKnowledge implements Knowledge {
  readonly #pins = new AsyncLocalStorage<Knowledge>();
  #current: Knowledge;

  constructor(initial: Knowledge) {
    this.#current = initial;
  }

  /** Swaps in a newly built knowledge; requests already running keep theirs. */
  swap(next: Knowledge): void {
    this.#current = next;
  }

  /** Runs `work` (one request) against the knowledge current now. */
  pinned<T>(work: () => T): T {
    return this.#pins.run(this.#current, work);
  }

  get #now(): Knowledge {
    return this.#pins.getStore() ?? this.#current;
  }

  sites: Knowledge["sites"] = () => this.#now.sites();
  site: Knowledge["site"] = (id) => this.#now.site(id);
  search: Knowledge["search"] = (query, site, limit) => this.#now.search(query, site, limit);
  consult: Knowledge["consult"] = (question, site, limit) => this.#now.consult(question, site, limit);
  coverage: Knowledge["coverage"] = (site) => this.#now.coverage(site);
  health: Knowledge["health"] = () => this.#now.health();
  snapshot = () => this.#now.snapshot?.();
}
