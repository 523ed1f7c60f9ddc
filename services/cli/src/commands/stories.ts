import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { LightboxApiClient } from '../api-client.js';

export const STORIES_ADD_USAGE = `lightbox stories add --slug <slug> --headline <text> --event <name> --start <iso> (--end <iso> | --duration PT3H)
        [--venue <name>] [--city <name>] [--country <name>] [--timezone <iana>]
        [--alias <name>]... [--keyword <word>]...
lightbox stories add --file story.json (JSON, or NewsML-G2 XML)`;

/** Builds the `POST /v1/stories` body from flags (the API validates it). */
export async function storyFromArgs(args: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args,
    options: {
      file: { type: 'string' },
      slug: { type: 'string' },
      headline: { type: 'string' },
      event: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      duration: { type: 'string' },
      venue: { type: 'string' },
      city: { type: 'string' },
      country: { type: 'string' },
      timezone: { type: 'string' },
      alias: { type: 'string', multiple: true },
      keyword: { type: 'string', multiple: true },
    },
    strict: true,
  });
  if (values.file) {
    const text = await readFile(values.file, 'utf8');
    return text.trimStart().startsWith('<') ? { xml: text } : JSON.parse(text);
  }
  const event: Record<string, unknown> = { name: values.event, start: values.start };
  if (values.end !== undefined) event.end = values.end;
  if (values.duration !== undefined) event.duration = values.duration;
  for (const key of ['venue', 'city', 'country', 'timezone'] as const)
    if (values[key]) event[key] = values[key];
  if (values.alias?.length) event.aliases = values.alias;
  return {
    slug: values.slug,
    headline: values.headline,
    event,
    ...(values.keyword?.length ? { keywords: values.keyword } : {}),
  };
}

export async function listStories(client: LightboxApiClient, say: (line: string) => void): Promise<void> {
  const { body } = await client.listStories();
  if (body.length === 0) say('No stories yet.');
  for (const s of body)
    say(
      `${s.id}  ${s.status.padEnd(6)}  ${String(s.photoCount).padStart(4)} photos  ${s.slug}  ${s.headline}`,
    );
}
