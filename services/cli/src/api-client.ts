import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Credentials, LightboxConfig } from '@lightbox/config';
import type { QueueCounts } from '@lightbox/queue';

/** `GET /v1/stats`. */
export interface PipelineRates {
  perMinute: { minute: number; received: number; published: number; failed: number }[];
  /** Without embargo and editor waits; `withWaits` (absent from earlier releases): the whole time. */
  latency: {
    p50: number | null;
    p95: number | null;
    samples: number;
    withWaits?: { p50: number | null; p95: number | null };
  };
}

/** Where a running Lightbox is and how to talk to it, from env or `credentials.json`. */
export interface ApiTarget {
  url: string;
  feedKey?: string;
  editorToken?: string;
}

export async function resolveApiTarget(
  config: LightboxConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ApiTarget> {
  let stored: Credentials | undefined;
  try {
    stored = JSON.parse(await readFile(join(config.dataDir, 'credentials.json'), 'utf8')) as Credentials;
  } catch {
    stored = undefined;
  }
  return {
    url: (env.LIGHTBOX_URL ?? `http://${config.host}:${config.port}`).replace(/\/+$/, ''),
    feedKey: env.LIGHTBOX_FEED_KEY ?? config.feedKeys[0]?.key ?? stored?.feedKeys[0]?.key,
    editorToken: env.LIGHTBOX_EDITOR_TOKEN ?? config.editorTokens[0] ?? stored?.editorTokens[0],
  };
}

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class LightboxApiClient {
  constructor(private readonly target: ApiTarget) {}

  private async request<T>(
    method: string,
    path: string,
    token: string | undefined,
    body?: string | Uint8Array | FormData,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.target.url}${path}`, {
      method,
      body,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiClientError(res.status, err?.code ?? 'http_error', err?.message ?? `HTTP ${res.status}`);
    }
    return { status: res.status, body: json as T };
  }

  /**
   * `POST /v1/photos`: raw bytes, or multipart with the NewsML-G2 sidecar when there is one. A bulk
   * push (`lightbox ingest`) says so: its photos wait behind live wire photos at every stage.
   */
  pushPhoto(bytes: Buffer, filename: string, contentType: string, sidecar?: Buffer, bulk = false) {
    const priority: Record<string, string> = bulk ? { 'x-lightbox-priority': 'bulk' } : {};
    if (sidecar) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), filename);
      form.append('sidecar', new Blob([new Uint8Array(sidecar)], { type: 'application/xml' }), 'sidecar.xml');
      return this.request<{ photoId: string; status: string; duplicate?: boolean }>(
        'POST',
        '/v1/photos',
        this.target.feedKey,
        form,
        priority,
      );
    }
    return this.request<{ photoId: string; status: string; duplicate?: boolean }>(
      'POST',
      '/v1/photos',
      this.target.feedKey,
      new Uint8Array(bytes),
      {
        'content-type': contentType,
        'x-filename': filename,
        ...priority,
      },
    );
  }

  /** A story as JSON, or `{xml}`: a NewsML-G2 text newsItem or event conceptItem. */
  createStory(input: unknown) {
    const xml = (input as { xml?: unknown } | null)?.xml;
    return this.request<{ id: string; slug: string }>(
      'POST',
      '/v1/stories',
      this.target.editorToken,
      typeof xml === 'string' ? xml : JSON.stringify(input),
      { 'content-type': typeof xml === 'string' ? 'application/xml' : 'application/json' },
    );
  }

  closeStory(storyId: string) {
    return this.request<{ id: string; slug: string; status: string }>(
      'POST',
      `/v1/stories/${encodeURIComponent(storyId)}/close`,
      this.target.editorToken,
    );
  }

  assignPhoto(photoId: string, storyId: string) {
    return this.request<{ photoId: string; status: string; storyId: string | null }>(
      'POST',
      `/v1/photos/${encodeURIComponent(photoId)}/assign`,
      this.target.editorToken,
      JSON.stringify({ storyId }),
      { 'content-type': 'application/json' },
    );
  }

  unassignPhoto(photoId: string) {
    return this.request<{ photoId: string; status: string; storyId: string | null }>(
      'POST',
      `/v1/photos/${encodeURIComponent(photoId)}/unassign`,
      this.target.editorToken,
    );
  }

  listStories() {
    return this.request<{ id: string; slug: string; headline: string; photoCount: number; status: string }[]>(
      'GET',
      '/v1/stories',
      this.target.editorToken,
    );
  }

  queues() {
    return this.request<QueueCounts[]>('GET', '/v1/queues', this.target.editorToken);
  }

  stats() {
    return this.request<PipelineRates>('GET', '/v1/stats', this.target.editorToken);
  }

  gallery(storyId: string) {
    return this.request<{ version: number; photos: { photoId: string }[] }>(
      'GET',
      `/v1/galleries/${storyId}`,
      undefined,
    );
  }
}
