import type { LightboxApiClient } from '../api-client.js';

export async function printStatus(client: LightboxApiClient, say: (line: string) => void): Promise<void> {
  const { body } = await client.queues();
  say('stage     waiting  active  delayed  failed  completed  paused');
  for (const q of body) {
    say(
      `${q.name.padEnd(9)} ${String(q.waiting).padStart(7)} ${String(q.active).padStart(7)} ${String(q.delayed).padStart(8)} ${String(q.failed).padStart(7)} ${String(q.completed).padStart(10)}  ${q.paused ? 'yes' : 'no'}`,
    );
  }
}
