import { createHash, timingSafeEqual } from 'node:crypto';
import type { FeedKey } from '@lightbox/config';

export type Role = 'feed' | 'reader' | 'editor' | 'admin';

/** Who is calling: a feed (push only), an editor (read and act) or an admin (everything). */
export interface Principal {
  kind: Role;
  /** For audit trails: the feed name, the name given as `name:token`, or `editor-<fingerprint>`. */
  name: string;
  feed?: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** A short, non-reversible label of a secret, for naming unnamed tokens in logs and audit. */
export function fingerprint(secret: string): string {
  return digest(secret).toString('hex').slice(0, 6);
}

/** Compares a presented secret against every known one in constant time (fixed-length digests). */
export function findSecret<T>(presented: string, entries: { secret: string; value: T }[]): T | undefined {
  const p = digest(presented);
  let found: T | undefined;
  for (const entry of entries) {
    if (timingSafeEqual(p, digest(entry.secret)) && found === undefined) found = entry.value;
  }
  return found;
}

/** `name:token` names the holder; a bare token is named by its fingerprint. */
export function namedToken(entry: string, kind: 'editor' | 'admin'): { secret: string; value: Principal } {
  const m = entry.match(/^([A-Za-z0-9_.@-]{1,64}):(.+)$/);
  const secret = m ? (m[2] as string) : entry;
  return { secret, value: { kind, name: m ? (m[1] as string) : `${kind}-${fingerprint(secret)}` } };
}

/** Every secret Lightbox accepts, with the principal it stands for. */
export class PrincipalDirectory {
  private readonly entries: { secret: string; value: Principal }[];

  constructor(
    feedKeys: FeedKey[],
    editorTokens: string[],
    adminTokens: string[] = [],
    readTokens: string[] = [],
  ) {
    this.entries = [
      ...readTokens.map((t) => ({
        secret: t,
        value: { kind: 'reader' as const, name: `reader-${fingerprint(t)}` },
      })),
      ...adminTokens.map((t) => namedToken(t, 'admin')),
      ...editorTokens.map((t) => namedToken(t, 'editor')),
      ...feedKeys.map((k) => ({
        secret: k.key,
        value: { kind: 'feed' as const, name: k.feed, feed: k.feed },
      })),
    ];
  }

  identify(secret: string): Principal | undefined {
    return secret ? findSecret(secret, this.entries) : undefined;
  }
}
