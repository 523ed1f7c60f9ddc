import type { AuditLog, PhotoCatalog, PhotoLifecycle } from '@lightbox/catalog';
import type { LifecycleWork } from '@lightbox/queue';
import { type Clock, photoLicenceExpiry } from '@lightbox/wire-rules';

export interface ExpirySweepDeps {
  photos: PhotoCatalog;
  lifecycle: PhotoLifecycle;
  work: LifecycleWork;
  audit: AuditLog;
}

/**
 * The licence-expiry sweep (a repeating job on the release queue, with the embargo timers, every
 * `LIGHTBOX_EXPIRY_SWEEP_SECONDS`): photos whose `expiresAt` has passed, read from the by-expiry
 * index, expire through the lifecycle, which takes them down like a kill (takedown stage:
 * galleries without them, renditions and manifest stores deleted, then `photo.expired`). Each is
 * audited. The clock is a parameter: tests move it instead of waiting.
 */
export class ExpirySweep {
  constructor(
    private readonly deps: ExpirySweepDeps,
    private readonly clock: Clock = () => new Date(),
    private readonly batch = 200,
  ) {}

  async run(): Promise<{ expired: number }> {
    const { photos, lifecycle, work, audit } = this.deps;
    const now = this.clock();
    const at = now.toISOString();
    let expired = 0;
    for (;;) {
      const ids = await photos.expiredBy(now.getTime(), this.batch);
      let progressed = 0;
      for (const photoId of ids) {
        const photo = await photos.get(photoId);
        const reason = (photo && photoLicenceExpiry(photo)?.reason) ?? 'licence ran out';
        const done = await lifecycle.apply(photoId, { type: 'expire', reason, at });
        if (!done.ok) {
          // Gone, or already final: the index entry is stale (the commit that ends a photo drops it).
          if (done.code === 'not_found' || done.code === 'unchanged')
            await photos.dropFromExpiryIndex(photoId);
          continue;
        }
        await work.run(done.photo, done.effects);
        await audit.record({ actor: 'system', action: 'photo.expired', photoId, detail: reason });
        expired++;
        progressed++;
      }
      // A full batch where something moved may have more behind it; otherwise this round is done.
      if (ids.length < this.batch || progressed === 0) return { expired };
    }
  }
}
