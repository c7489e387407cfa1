import autocannon from "autocannon";

export interface BenchQuestion {
  question: string;
  site: string;
}

export interface AskLoad {
  connections: number;
  requestsPerSecond: number;
  /** autocannon's latency percentiles (ms). */
  p50Ms: number;
  p97_5Ms: number;
  answered: number;
  /** Answers that were not 2xx (a 429 or 503 would mean the guards, not the answering, were measured). */
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** POST /api/ask with `connections` connections for `seconds`, each request the next question of the set. */
export async function askLoad(url: string, questions: BenchQuestion[], connections: number, seconds: number): Promise<AskLoad> {
  const result = await autocannon({
    url: `${url}/api/ask`,
    connections,
    duration: seconds,
    timeout: 10,
    requests: questions.map(({ question, site }) => ({
      method: "POST" as const,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question, site }),
    })),
  });
  return {
    connections,
    requestsPerSecond: result.requests.total / (result.duration || seconds),
    p50Ms: result.latency.p50,
    p97_5Ms: result.latency.p97_5,
    answered: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
