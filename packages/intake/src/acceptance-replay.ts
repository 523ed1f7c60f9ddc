import type { Acceptance, AcceptanceLog } from './acceptance-log.js';
import type { IntakeResult } from './intake-result.js';
import type { PhotoIntake } from './photo-intake.js';
import { receivedFromBytes } from './receive.js';

/**
 * Puts an accepted transmission through intake again from object storage, at its own arrival time:
 * the same photo id, history entry and decision as when it first came, decided against what Redis
 * holds now. A transmission Redis still knows is a duplicate and changes nothing (its work is
 * queued again if it never was). The original stays where it was accepted: it is read, never
 * uploaded again or deleted.
 */
export async function replayAcceptance(
  intake: PhotoIntake,
  log: AcceptanceLog,
  acceptance: Acceptance,
): Promise<IntakeResult> {
  const [original, sidecar] = await Promise.all([log.original(acceptance), log.sidecar(acceptance)]);
  const file = receivedFromBytes(original, acceptance.originalKey);
  if (file.sha256 !== acceptance.sha256)
    throw new Error(`${acceptance.originalKey} does not hold the bytes accepted (sha256 differs)`);
  return intake.accept(
    file,
    {
      feed: acceptance.feed,
      ...(acceptance.route ? { route: acceptance.route } : {}),
      ...(acceptance.priority ? { priority: acceptance.priority } : {}),
      ...(acceptance.filename ? { filename: acceptance.filename } : {}),
      ...(sidecar ? { sidecar } : {}),
    },
    { receivedAt: acceptance.receivedAt },
  );
}
