import { readdir, readFile } from "node:fs/promises";

async function status(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) / 1024;
}

async function children(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(tasks.map((task) => readFile(`/proc/${pid}/task/${task}/children`, "utf8").catch(() => "")));
  return lists.flatMap((list) => list.split(" ").filter(Boolean).map(Number));
}

/** Resident memory (MiB) of a process and all its descendants; worker threads count within their process. */
export async function processTreeRssMiB(pid: number): Promise<number> {
  const own = await status(pid, "VmRSS");
  const below = await Promise.all((await children(pid)).map(processTreeRssMiB));
  return below.reduce((sum, rss) => sum + rss, own);
}

/** The most a process has held resident since it started (MiB). */
export const peakRssMiB = (pid: number) => status(pid, "VmHWM");
