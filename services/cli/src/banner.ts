/** What `lightbox start` tells the person who started it. */
export interface BannerInfo {
  apiUrl: string;
  feedKey: { feed: string; key: string };
  editorToken: string;
  adminToken: string;
  dataDir: string;
  credentialsPath: string;
  objectStorage: string;
  /** Redis URL, password already hidden. */
  redis: string;
  metrics: string[];
  /** The Node every process runs on. */
  node: string;
}

/**
 * The start banner (pure). Secrets (feed key, editor and admin tokens, the curl line with the key)
 * only when the output is a terminal: a log file or a journal is read by more people than the
 * operator, so there the banner says where `credentials.json` is instead.
 */
export function bannerLines(info: BannerInfo, { terminal }: { terminal: boolean }): string[] {
  const credentials = terminal
    ? [
        `  Feed key:       ${info.feedKey.feed}:${info.feedKey.key}`,
        `  Dashboard:      ${info.apiUrl}/   (sign in with the editor token)`,
        `  Editor token:   ${info.editorToken}`,
        `  Admin token:    ${info.adminToken}   (also full access to ${info.apiUrl}/admin/queues)`,
      ]
    : [
        `  Credentials:    ${info.credentialsPath}   (feed key, editor and admin tokens; not printed because this output is not a terminal)`,
        `  Dashboard:      ${info.apiUrl}/   (sign in with the editor token)`,
      ];
  const key = terminal ? info.feedKey.key : '<feed key from credentials.json>';
  return [
    '',
    'Lightbox is running.',
    `  API:            ${info.apiUrl}   (health: ${info.apiUrl}/healthz)`,
    ...credentials,
    `  Hot folder:     ${info.dataDir}/inbox`,
    `  Object storage: ${info.objectStorage}`,
    `  Redis:          ${info.redis}`,
    `  Node:           ${info.node}`,
    `  Metrics:        ${info.metrics.join('  ')}`,
    `  Push a photo:   curl -H "Authorization: Bearer ${key}" -H "Content-Type: image/jpeg" --data-binary @photo.jpg ${info.apiUrl}/v1/photos`,
    `Press Ctrl-C or run \`lightbox stop\` to stop.`,
    '',
  ];
}
