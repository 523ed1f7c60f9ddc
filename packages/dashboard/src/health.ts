import { stageIsIdle } from '@lightbox/contracts';

export interface StageCard {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completedLastHour: number;
  paused: boolean;
  workers: number;
}

export interface HealthInput {
  stages: StageCard[];
  redis: boolean;
  s3: boolean;
  /** Per-minute counts, oldest first (the last entries are the latest minutes). */
  perMinute: { published: number; failed: number; received: number }[];
  /** Each feed's open incidents (feed health). */
  feeds?: { feed: string; openIncidents: { kind: 'silence' | 'rejections'; reason: string }[] }[];
}

/**
 * The red banner's messages (pure): work waiting with no worker, a back end down, failures
 * jumping (at least 5 in the last 5 minutes and more than 1 in 5 of the jobs that ended), or a feed
 * silent past its cadence or rejecting (named).
 */
export function healthProblems(input: HealthInput): string[] {
  const problems: string[] = [];
  if (!input.redis) problems.push('Redis is unreachable: nothing moves until it is back');
  if (!input.s3) problems.push('Object storage (S3) is unreachable: photos cannot be stored or published');
  for (const s of input.stages) {
    if (s.paused && (s.waiting > 0 || s.delayed > 0))
      problems.push(`${s.name} is paused with ${s.waiting} waiting`);
    else if (s.workers === 0 && !stageIsIdle({ ...s, delayed: 0 }))
      problems.push(`${s.name} has ${s.waiting} waiting but no worker is running`);
  }
  const recent = input.perMinute.slice(-5);
  const failed = recent.reduce((n, m) => n + m.failed, 0);
  const published = recent.reduce((n, m) => n + m.published, 0);
  if (failed >= 5 && failed > 0.2 * (failed + published))
    problems.push(`Failures are up: ${failed} failed jobs in the last 5 minutes`);
  for (const { feed, openIncidents } of input.feeds ?? [])
    for (const incident of openIncidents) {
      const why = incident.reason.startsWith(`${feed}: `)
        ? incident.reason.slice(feed.length + 2)
        : incident.reason;
      problems.push(`Feed ${feed} is ${incident.kind === 'silence' ? 'silent' : 'rejecting'}: ${why}`);
    }
  return problems;
}
