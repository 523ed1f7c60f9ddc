/** Photo numbers per `photoBySeq` hash. */
export const SEQ_BUCKET = 128;

/** Redis key layout for Lightbox state. All keys share the configured prefix (hash-tag it for Cluster). */
export function stateKeys(prefix: string) {
  const p = `${prefix}:state`;
  return {
    /** The prefix of every state key (the commit script derives the status indexes from it). */
    prefix: p,
    /** The stored format's version (`migrateState`). */
    schemaVersion: `${p}:schema-version`,
    photo: (photoId: string) => `${p}:photo:${photoId}`,
    /** A transmission's fingerprint (sha256 of the bytes, with the sidecar's when one came along) → photoId. */
    photoBySha: (sha256: string) => `${p}:photo-sha:${sha256}`,
    photoVersions: (photoId: string) => `${p}:photo-versions:${photoId}`,
    identity: (key: string) => `${p}:identity:${key}`,
    /** Kill tombstones of the first release (no feed group): a picture under one arrives killed. */
    killTombstone: (key: string) => `${p}:kill-tombstone:${key}`,
    /** A kill notice that came before its picture, filed for its feed group: group + identity key → photoId. */
    prekill: (group: string, key: string) => `${p}:prekill:${group}|${key}`,
    photosByTime: `${p}:photos-by-received`,
    /** Photo ids by status (score: arrival ms), kept by the catalog's scripts on every status change. */
    photosByStatus: (status: string) => `${p}:photo-status:${status}`,
    /**
     * Photo numbers (schema 3): each photo indexed for search gets one (`seq` on its record), from
     * this counter, in arrival order; `photoBySeq` maps numbers back to ids, 128 to a hash (compact
     * listpacks).
     */
    photoSeq: `${p}:photo-seq`,
    photoBySeq: (seq: number) => `${p}:photo-by-seq:${Math.floor(seq / SEQ_BUCKET)}`,
    /**
     * The search index, by photo number (integer sets: a few bytes per photo, where sets of ids
     * took 70): numbers by caption/credit word, by agency and by status, and by capture instant.
     */
    searchWord: (token: string) => `${p}:search-words:${token}`,
    searchAgency: (agency: string) => `${p}:search-agencies:${agency}`,
    searchStatus: (status: string) => `${p}:search-status:${status}`,
    searchCapture: `${p}:search-capture`,
    /** The search index of schema 2 (photo ids by word, agency and capture), removed by `migrateState`. */
    legacySearch: {
      families: [`${p}:search-word:*`, `${p}:search-agency:*`],
      keys: [`${p}:photos-by-capture`],
    },
    /** Held by the process migrating state (`migrateState`); the others wait for it. */
    migrationLock: `${p}:migration-lock`,
    searchResult: (hash: string) => `${p}:search-result:${hash}`,
    audit: `${p}:audit`,
    auditOf: (kind: 'photo' | 'story', id: string) => `${p}:audit-${kind}:${id}`,
    story: (storyId: string) => `${p}:story:${storyId}`,
    storyBySlug: (slug: string) => `${p}:story-slug:${slug}`,
    storiesByStart: `${p}:stories-by-start`,
    storyPhotos: (storyId: string) => `${p}:story-photos:${storyId}`,
    galleryVersion: (storyId: string) => `${p}:gallery-version:${storyId}`,
    galleryLayout: (storyId: string) => `${p}:gallery-layout:${storyId}`,
    galleryPublishedAt: (storyId: string) => `${p}:gallery-published-at:${storyId}`,
    /** Publish runs started and finished, per gallery (story id) or `index` (`StoryCatalog.beginPublish`). */
    publishSeq: (scope: string) => `${p}:publish-seq:${scope}`,
    publishedSeq: (scope: string) => `${p}:published-seq:${scope}`,
    /** A take-down's publish marks, per scope (`StoryCatalog.takedownMark`). */
    takedownMarks: (photoId: string) => `${p}:takedown-marks:${photoId}`,
    /** What was last written of a gallery's objects or the index's (`GalleryWrites`): digests, times. */
    galleryWritten: (scope: string) => `${p}:gallery-written:${scope}`,
    /** Galleries whose feeds wait for their refresh (`GalleryWrites`). */
    feedsBehind: `${p}:feeds-behind`,
    /** Scopes (a story id, `index`) a take-down waits on: their next run writes everything now. */
    publishNow: `${p}:publish-now`,
    /** storyId → the gallery's entry in `galleries/index.json`. */
    galleryIndex: `${p}:gallery-index`,
    /** Counter bumped on every story change; `storiesByChange` scores each story by its last bump. */
    storyChanges: `${p}:story-changes`,
    storiesByChange: `${p}:stories-by-change`,
    /** Photos by licence expiry (ms; not killed, rejected or expired), for the expiry sweep. */
    photosByExpiry: `${p}:photos-by-expiry`,
    /** Unmatched and review photos by capture instant (ms), for re-matching when stories change. */
    photosAwaitingStory: `${p}:photos-awaiting-story`,
    /** Hot-folder files of a feed rejected after hand-off, waiting for the watcher (`IntakeRejections`). */
    /** Hot-folder files rejected after hand-off keep the key of earlier releases; S3 inbox objects have their own. */
    intakeRejections: (feed: string, route: 'hot-folder' | 's3-inbox' = 'hot-folder') =>
      route === 'hot-folder' ? `${p}:intake-rejections:${feed}` : `${p}:intake-rejections:${feed}:${route}`,
    /** storyId → where its archived state lives in S3 (`StoryArchive`), once evicted from Redis. */
    storyArchived: (storyId: string) => `${p}:story-archived:${storyId}`,
  };
}
export type StateKeys = ReturnType<typeof stateKeys>;
