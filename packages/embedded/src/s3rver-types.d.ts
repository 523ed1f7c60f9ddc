declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverOptions {
    port?: number;
    address?: string;
    directory: string;
    silent?: boolean;
    resetOnClose?: boolean;
    configureBuckets?: { name: string; configs: (string | Buffer)[] }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    /** Creates the configured buckets (what `run` does before listening). */
    configureBuckets(): Promise<void>;
    /** The Koa request handler. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
