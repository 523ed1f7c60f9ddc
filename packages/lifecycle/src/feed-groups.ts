/**
 * Feed groups: feeds that send the same agency's pictures by different routes (say `ap-http` and
 * `ap-ftp`) share ownership of those pictures. A feed in no group is a group of its own.
 */
export type FeedGroups = ReadonlyMap<string, string>;

/** The group a feed belongs to: its configured group, or the feed itself. */
export function feedGroupOf(groups: FeedGroups, feed: string): string {
  return groups.get(feed) ?? feed;
}

/**
 * Parses `LIGHTBOX_FEED_GROUPS`: `group:feed,feed;group:feed`, e.g. `ap:ap-http,ap-ftp;afp:afp`.
 * A feed may be in one group only.
 */
export function parseFeedGroups(value: string | undefined): Map<string, string> {
  const groups = new Map<string, string>();
  for (const part of (value ?? '').split(';')) {
    if (part.trim() === '') continue;
    const [name, list, ...rest] = part.split(':');
    const group = name?.trim();
    if (!group || list === undefined || rest.length > 0)
      throw new Error(`Feed group "${part.trim()}" is not of the form group:feed,feed`);
    for (const feed of list
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean)) {
      const taken = groups.get(feed);
      if (taken && taken !== group) throw new Error(`Feed ${feed} is in two groups: ${taken} and ${group}`);
      groups.set(feed, group);
    }
  }
  return groups;
}
