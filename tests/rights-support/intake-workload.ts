// biome-ignore lint/suspicious/noExplicitAny: the reply is checked field by field by the workload
export type Reply = { status: number; body: any };

export interface IntakeWorkloadOptions {
  /** Requests to create; every other one is verified with the code mailed for it. */
  target: number;
  /** Clients creating, and as many verifying, at once. */
  workers: number;
  /** Names the requests: key `<prefix>-<i>`, e-mail `<prefix>-<i>@example.test`, name `<prefix> person <i>`. */
  prefix: string;
  /** Posts until a server answers, retrying what a crash lost; `client` says which client (0 .. 2 × workers - 1) sends it. */
  post: (client: number, url: string, body: unknown, headers?: Record<string, string>) => Promise<Reply>;
  /** The newest code mailed to an address, or null if none came in time. */
  codeFor: (email: string) => Promise<string | null>;
  /** A client's pause between two new requests. */
  pauseMs: [number, number];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The crash tests' traffic: clients create requests (some repeat a success with the same Idempotency-Key, to test the
 * replay) and others verify every other one with its mailed code, while the test kills servers under them. It keeps
 * what the clients were told, to compare with what the database holds.
 */
export function intakeWorkload({ target, workers, prefix, post, codeFor, pauseMs: [minPause, maxPause] }: IntakeWorkloadOptions) {
  const acknowledged = new Map<string, Set<string>>(); // idempotency key -> references seen in 201 replies
  const emails = new Map<string, string>(); // key -> e-mail
  const toVerify: Array<{ reference: string; email: string }> = [];
  const verified = new Set<string>();
  const unexpected: string[] = [];
  let next = 0;
  let stopping = false;

  const creator = async (client: number) => {
    for (let i = next++; i < target; i = next++) {
      const key = `${prefix}-${i}`;
      const email = `${prefix}-${i}@example.test`;
      emails.set(key, email);
      const body = {
        site: "acme",
        right: i % 3 ? "erasure" : "access",
        email,
        name: `${prefix} person ${i}`,
        country: ["DE", "US-CA", "BR", "GB"][i % 4],
        source: "form",
      };
      // A crash can eat the reply to a committed request; the retry with the same key must find it.
      for (let attempt = 0; attempt < 2; attempt++) {
        const reply = await post(client, "/api/requests", body, { "idempotency-key": key });
        if (reply.status !== 201) {
          unexpected.push(`create ${key}: ${reply.status} ${JSON.stringify(reply.body)}`);
          break;
        }
        const seen = acknowledged.get(key) ?? new Set<string>();
        seen.add(reply.body.reference);
        acknowledged.set(key, seen);
        if (attempt === 0 && i % 2 === 0) toVerify.push({ reference: reply.body.reference, email });
        if (Math.random() < 0.8) break; // most clients do not retry a success; some do, to test replay
      }
      await sleep(minPause + Math.random() * (maxPause - minPause));
    }
  };

  const verifier = async (client: number) => {
    while (!stopping || toVerify.length) {
      const job = toVerify.shift();
      if (!job) {
        await sleep(50);
        continue;
      }
      const code = await codeFor(job.email);
      if (!code) {
        unexpected.push(`no code mailed for ${job.reference}`);
        continue;
      }
      const reply = await post(client, `/api/requests/${job.reference}/verify`, { code });
      if (reply.status === 200 && reply.body.status === "pending") verified.add(job.reference);
      else unexpected.push(`verify ${job.reference}: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
  };

  return {
    acknowledged,
    verified,
    unexpected,
    /**
     * Runs the clients with `chaos` beside them (it runs until `stopped()` says so) and waits for the queued
     * verifications until `deadline` (a Date.now() value). Returns the seconds until every request was acknowledged.
     */
    async run(chaos: (stopped: () => boolean) => Promise<void>, deadline: number): Promise<number> {
      const began = Date.now();
      const created = Promise.all(Array.from({ length: workers }, (_, w) => creator(w)));
      const verifying = Promise.all(Array.from({ length: workers }, (_, w) => verifier(workers + w)));
      let done = false;
      const chaosRun = chaos(() => done);
      await created;
      const createdAfter = (Date.now() - began) / 1000;
      while (toVerify.length && Date.now() < deadline) await sleep(100);
      stopping = true;
      await verifying;
      done = true;
      await chaosRun;
      return createdAfter;
    },
    /** Waits up to `timeoutMs` for the helpdesk (`delivered()`: the references it holds) to have every verified request. */
    async handedOff(delivered: () => Set<string>, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while ([...verified].some((reference) => !delivered().has(reference)) && Date.now() < deadline) await sleep(200);
    },
    /**
     * What the stored rows and the helpdesk say of what clients were told: each acknowledged request under one
     * reference with one row per e-mail, and each verified one pending and delivered.
     */
    compare(rows: Array<{ reference: string; email: string; status: string }>, delivered: Set<string>) {
      const stored = new Map(rows.map((row) => [row.reference, row]));
      const rowsPerEmail = new Map<string, number>();
      for (const row of rows) rowsPerEmail.set(row.email, (rowsPerEmail.get(row.email) ?? 0) + 1);
      const missing: string[] = [];
      const duplicated: string[] = [];
      for (const [key, references] of acknowledged) {
        const email = emails.get(key)!;
        if (references.size !== 1) duplicated.push(`${key}: ${[...references].join(", ")}`);
        for (const reference of references) if (stored.get(reference)?.email !== email) missing.push(`${key} ${reference}`);
        if (rowsPerEmail.get(email) !== 1) duplicated.push(`${key}: ${rowsPerEmail.get(email) ?? 0} rows`);
      }
      const undelivered = [...verified].filter((reference) => !delivered.has(reference));
      const notPending = [...verified].filter((reference) => stored.get(reference)?.status !== "pending");
      return { missing, duplicated, undelivered, notPending };
    },
  };
}
