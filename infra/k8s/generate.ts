/**
 * Writes the Kubernetes manifests in infra/k8s from one description, so the eight worker
 * Deployments and their ScaledObjects cannot drift apart. `npm run k8s:generate -w @lightbox/infra`;
 * a test fails when the committed YAML differs from what this produces.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STAGES, type StageName } from '@lightbox/contracts';
import { stringify } from 'yaml';

/** The image of this release, tagged with the root package version (never `:latest`). */
const RELEASE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
export const IMAGE = `ghcr.io/lightbox/lightbox:${RELEASE}`;
const NAMESPACE = 'lightbox';
/** Hash-tagged, so every key lands in one Redis Cluster slot (BullMQ's rule for Cluster). */
export const REDIS_PREFIX = '{lightbox}';
export const METRICS_PORT = 9464;
export const REDIS_ADDRESS = 'redis.lightbox.svc.cluster.local:6379';
/**
 * The Prometheus that scrapes the API's `/metrics` (with LIGHTBOX_METRICS_TOKEN): KEDA scales each
 * stage on `lightbox_queue_jobs{state="waiting"}`, which counts BullMQ's `wait` list and its
 * `prioritized` set (a redis list trigger would miss prioritized jobs). docs/operations.md.
 */
export const PROMETHEUS_ADDRESS = 'http://prometheus-operated.monitoring.svc.cluster.local:9090';

interface StagePlacement {
  /** CPU request; render pods are sized to one core each and run one job per core. */
  cpu: string;
  memory: string;
  memoryLimit: string;
  env: Record<string, string>;
  maxReplicas: number;
  /** Waiting (incl. prioritized) jobs per replica that KEDA aims for. */
  jobsPerReplica: number;
}

const io = (maxReplicas: number, jobsPerReplica: number): StagePlacement => ({
  cpu: '250m',
  memory: '256Mi',
  memoryLimit: '512Mi',
  env: {},
  maxReplicas,
  jobsPerReplica,
});

export const PLACEMENT: Record<StageName, StagePlacement> = {
  ingest: { ...io(8, 20), cpu: '500m', memory: '384Mi', memoryLimit: '768Mi' },
  render: {
    cpu: '1',
    memory: '768Mi',
    memoryLimit: '1536Mi',
    env: { LIGHTBOX_RENDER_CONCURRENCY: '2', LIGHTBOX_SHARP_THREADS: '1' },
    maxReplicas: 24,
    jobsPerReplica: 4,
  },
  match: io(6, 50),
  publish: io(4, 20),
  takedown: io(2, 10),
  release: io(2, 20),
  backfill: io(2, 10),
  index: io(2, 10),
  close: io(2, 10),
  webhook: io(4, 50),
  archive: io(2, 10),
};

const labels = (component: string) => ({
  'app.kubernetes.io/name': 'lightbox',
  'app.kubernetes.io/component': component,
});

const envFrom = [{ configMapRef: { name: 'lightbox-config' } }, { secretRef: { name: 'lightbox-secrets' } }];

const securityContext = {
  runAsNonRoot: true,
  runAsUser: 1000,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

function deployment(
  name: string,
  container: Record<string, unknown>,
  options: {
    replicas?: number;
    terminationGracePeriodSeconds?: number;
    volumes?: unknown[];
    recreate?: boolean;
  },
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NAMESPACE, labels: labels(name) },
    spec: {
      ...(options.replicas !== undefined ? { replicas: options.replicas } : {}),
      ...(options.recreate ? { strategy: { type: 'Recreate' } } : {}),
      selector: { matchLabels: labels(name) },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          terminationGracePeriodSeconds: options.terminationGracePeriodSeconds ?? 30,
          securityContext: { fsGroup: 1000 },
          containers: [{ image: IMAGE, envFrom, securityContext, ...container }],
          volumes: [{ name: 'tmp', emptyDir: {} }, ...(options.volumes ?? [])],
        },
      },
    },
  };
}

/** Uploads and hot-folder files are spooled here on their way to S3 (nothing acknowledged lives only here). */
const SPOOL = { name: 'spool', emptyDir: { sizeLimit: '2Gi' } };

function pdb(name: string) {
  // maxUnavailable (not minAvailable): a Deployment KEDA holds at one replica can still be drained.
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: NAMESPACE, labels: labels(name) },
    spec: { maxUnavailable: 1, selector: { matchLabels: labels(name) } },
  };
}

/**
 * Probes of a process on `port`: startup and liveness on `/livez` (the process serves HTTP; a Redis
 * blip must not restart every pod), readiness on `/healthz` (Redis and S3 answer). Never `/metrics`,
 * which answers 401 when LIGHTBOX_METRICS_TOKEN is set.
 */
const probes = (port: string) => ({
  startupProbe: { httpGet: { path: '/livez', port }, periodSeconds: 2, failureThreshold: 30 },
  livenessProbe: {
    httpGet: { path: '/livez', port },
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  },
  readinessProbe: {
    httpGet: { path: '/healthz', port },
    periodSeconds: 5,
    timeoutSeconds: 5,
    failureThreshold: 3,
  },
});

/** `/metrics` of workers and ingest on the pod's address (the default is loopback), for probes and scrapers. */
const METRICS_ENV = [
  { name: 'LIGHTBOX_METRICS_PORT', value: String(METRICS_PORT) },
  { name: 'LIGHTBOX_METRICS_HOST', value: '0.0.0.0' },
];

/** The port and probes of a process whose only HTTP is the metrics listener (workers, the hot-folder service). */
const metricsEndpoint = {
  ports: [{ name: 'metrics', containerPort: METRICS_PORT }],
  ...probes('metrics'),
};

function workerManifests(stage: StageName) {
  const p = PLACEMENT[stage];
  const name = `worker-${stage}`;
  const container = {
    name: 'worker',
    command: ['node', '--import', 'tsx', 'services/worker/src/main.ts'],
    env: [
      { name: 'QUEUES', value: stage },
      ...METRICS_ENV,
      ...Object.entries(p.env).map(([k, value]) => ({ name: k, value })),
    ],
    resources: { requests: { cpu: p.cpu, memory: p.memory }, limits: { memory: p.memoryLimit } },
    ...metricsEndpoint,
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  const scaledObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name, namespace: NAMESPACE, labels: labels(name) },
    spec: {
      scaleTargetRef: { name },
      // Never 0: delayed jobs (publish coalescing, retries, close and archive timers) only move to
      // `wait` while a worker of that queue runs, so a stage scaled to zero would never wake up.
      minReplicaCount: 1,
      maxReplicaCount: p.maxReplicas,
      pollingInterval: 5,
      cooldownPeriod: 120,
      triggers: [
        {
          type: 'prometheus',
          metadata: {
            serverAddress: PROMETHEUS_ADDRESS,
            // Every API replica exports the same queue counts: max, not sum.
            query: `max(lightbox_queue_jobs{stage="${stage}",state="waiting"})`,
            threshold: String(p.jobsPerReplica),
            activationThreshold: '0',
          },
        },
      ],
    },
  };
  return [deployment(name, container, { terminationGracePeriodSeconds: 30 }), pdb(name), scaledObject];
}

function apiManifests() {
  const container = {
    name: 'api',
    command: ['node', '--import', 'tsx', 'services/api/src/main.ts'],
    env: [
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'PORT', value: '8080' },
    ],
    ports: [{ name: 'http', containerPort: 8080 }],
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    ...probes('http'),
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'spool', mountPath: '/data/spool' },
    ],
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: NAMESPACE, labels: labels('api') },
    spec: { selector: labels('api'), ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  return [deployment('api', container, { replicas: 2, volumes: [SPOOL] }), service, pdb('api')];
}

function ingestManifests() {
  const container = {
    name: 'ingest',
    command: ['node', '--import', 'tsx', 'services/ingest/src/main.ts'],
    env: METRICS_ENV,
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    ...metricsEndpoint,
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'hotfolder', mountPath: '/data/inbox' },
      { name: 'spool', mountPath: '/data/spool' },
    ],
  };
  const pvc = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'hotfolder', namespace: NAMESPACE, labels: labels('ingest') },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } },
  };
  // One watcher per hot folder; Recreate so the old pod lets go of the volume first.
  return [
    pvc,
    deployment('ingest', container, {
      replicas: 1,
      recreate: true,
      volumes: [{ name: 'hotfolder', persistentVolumeClaim: { claimName: 'hotfolder' } }, SPOOL],
    }),
  ];
}

function shared() {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } };
  const config = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'lightbox-config', namespace: NAMESPACE },
    data: {
      LIGHTBOX_DATA_DIR: '/data',
      LIGHTBOX_REDIS_PREFIX: REDIS_PREFIX,
      S3_REGION: 'us-east-1',
      S3_BUCKET: 'lightbox',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      LIGHTBOX_IO_CONCURRENCY: '8',
    },
  };
  return { namespace, config };
}

/** The example secrets (placeholders; `kubectl create secret` real ones, see docs/operations.md). */
function secretExample() {
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'lightbox-secrets', namespace: NAMESPACE },
      type: 'Opaque',
      stringData: {
        REDIS_URL: `redis://:CHANGE-ME@${REDIS_ADDRESS}`,
        S3_ENDPOINT: 'https://s3.us-east-1.amazonaws.com',
        S3_ACCESS_KEY_ID: 'CHANGE-ME',
        S3_SECRET_ACCESS_KEY: 'CHANGE-ME',
        PUBLIC_BASE_URL: 'https://photos.example.com',
        LIGHTBOX_FEED_KEYS: 'ap:CHANGE-ME,reuters:CHANGE-ME',
        LIGHTBOX_EDITOR_TOKENS: 'CHANGE-ME',
        LIGHTBOX_ADMIN_TOKENS: 'CHANGE-ME',
        LIGHTBOX_METRICS_TOKEN: 'CHANGE-ME',
      },
    },
  ];
}

const HEADER =
  '# Generated by infra/k8s/generate.ts (npm run k8s:generate -w @lightbox/infra). Edit that, not this.\n';

/** File name → YAML text, in a stable order. */
export function renderManifests(): Map<string, string> {
  const files = new Map<string, string>();
  const yaml = (docs: unknown[]) => HEADER + docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  const { namespace, config } = shared();
  files.set('namespace.yaml', yaml([namespace]));
  files.set('config.yaml', yaml([config]));
  files.set('api.yaml', yaml(apiManifests()));
  files.set('ingest.yaml', yaml(ingestManifests()));
  for (const stage of STAGES) files.set(`worker-${stage}.yaml`, yaml(workerManifests(stage)));
  files.set('secret.example.yaml', yaml(secretExample()));
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: NAMESPACE,
    // secret.example.yaml is left out on purpose: create the real secrets yourself.
    resources: [...files.keys()].filter((f) => f !== 'secret.example.yaml'),
  };
  files.set('kustomization.yaml', yaml([kustomization]));
  return files;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const dir = import.meta.dirname;
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of renderManifests()) writeFileSync(join(dir, file), text);
  console.log(`wrote ${renderManifests().size} files to ${dir}`);
}
