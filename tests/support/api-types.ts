/** The shapes of API responses the end-to-end tests read (the contract in docs/api.md). */
export interface PhotoView {
  photoId: string;
  status: string;
  metadata: Record<string, unknown>;
  match: { decision: string; storyId: string | null; score: number; reasons: string[] } | null;
  error?: string;
}

export interface QueueView {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export async function json<T>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}
