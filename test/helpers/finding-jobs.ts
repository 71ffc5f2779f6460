/** The findings on findings-queue jobs, whether a job carries one finding or a batch of them. */
import type { FindingBatchJob, FindingJob } from "../../src/queue/jobs.js";

/** Each finding with the id of the job that carries it. */
export function findingsOf(jobs: readonly { id?: string; data: unknown }[]): { jobId?: string; data: FindingJob }[] {
  return jobs.flatMap((j) => {
    const batch = (j.data as Partial<FindingBatchJob>).findings;
    const list = Array.isArray(batch) ? batch : [j.data as FindingJob];
    return list.map((data) => ({ jobId: j.id, data }));
  });
}

/** Names of findings-queue job hashes: a finding's own job (its findingId) or a batch's. */
export const FINDING_JOB_KEY = /:(?:[0-9a-f]{64}|batch:[0-9a-f]{40}:\d+)$/;

/** The findings in one job hash's `data` field. */
export function findingsInData(data: string): FindingJob[] {
  return findingsOf([{ data: JSON.parse(data) as unknown }]).map((f) => f.data);
}

/** Every finding stored on a namespace's findings queue, read straight from Redis. */
export async function storedFindings(
  redis: { keys(pattern: string): Promise<string[]>; hget(key: string, field: string): Promise<string | null> },
  ns: string,
): Promise<FindingJob[]> {
  const names = (await redis.keys(`{${ns}}:q:findings:*`)).filter((k) => FINDING_JOB_KEY.test(k));
  const data = await Promise.all(names.map(async (k) => (await redis.hget(k, "data")) ?? "{}"));
  return data.flatMap(findingsInData);
}
