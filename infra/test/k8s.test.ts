import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { CONFIG_ENV_KEYS, loadConfig } from '@lightbox/config';
import { STAGES } from '@lightbox/contracts';
import { LightboxMetrics } from '@lightbox/metrics';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { IMAGE, PROMETHEUS_ADDRESS, renderManifests } from '../k8s/generate.js';

const root = join(import.meta.dirname, '..', '..');
const k8sDir = join(root, 'infra', 'k8s');

// biome-ignore lint/suspicious/noExplicitAny: manifests are checked against their schemas below
type Doc = any;

interface Validatable {
  validate(): void;
}
const MODELS: Record<string, new (data: Doc) => Validatable> = {
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

const yamlFiles = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml'));
const docsByFile = new Map<string, Doc[]>(
  yamlFiles.map((f) => [
    f,
    parseAllDocuments(readFileSync(join(k8sDir, f), 'utf8')).map((d) => {
      if (d.errors.length) throw new Error(`${f}: ${d.errors[0]?.message}`);
      return d.toJS();
    }),
  ]),
);
const kustomization = docsByFile.get('kustomization.yaml')?.[0];
const deployed: Doc[] = (kustomization.resources as string[]).flatMap((f) => docsByFile.get(f) ?? []);
const secrets: Doc[] = docsByFile.get('secret.example.yaml') ?? [];
const ofKind = (kind: string) => deployed.filter((d) => d.kind === kind);
const deployments = ofKind('Deployment');
const configMap = ofKind('ConfigMap').find((c) => c.metadata.name === 'lightbox-config');
const appSecret = secrets.find((s) => s.metadata.name === 'lightbox-secrets');

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('infra/k8s', () => {
  it('is what generate.ts produces (run npm run k8s:generate -w @lightbox/infra after editing it)', () => {
    const expected = renderManifests();
    expect([...yamlFiles].sort()).toEqual([...expected.keys()].sort());
    for (const [file, text] of expected) expect(readFileSync(join(k8sDir, file), 'utf8'), file).toBe(text);
  });

  it('passes the Kubernetes and KEDA schemas, document by document', () => {
    let checked = 0;
    for (const [file, docs] of docsByFile) {
      for (const doc of docs) {
        if (doc.kind === 'Kustomization') continue;
        const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
        expect(Model, `${file}: no schema for ${doc.apiVersion} ${doc.kind}`).toBeDefined();
        expect(
          () => new (Model as new (d: Doc) => Validatable)(doc).validate(),
          `${file} ${doc.kind}`,
        ).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
  });

  it('the schema check catches a broken manifest', () => {
    const broken = structuredClone(deployments[0]);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'nine';
    expect(() => new Deployment(broken).validate()).toThrow();
    const badScaler = structuredClone(ofKind('ScaledObject')[0]);
    delete badScaler.spec.scaleTargetRef;
    expect(() => new ScaledObject(badScaler).validate()).toThrow();
  });

  it('lists every manifest in kustomization.yaml except the example secret', () => {
    for (const f of kustomization.resources) expect(existsSync(join(k8sDir, f)), f).toBe(true);
    expect(kustomization.resources).not.toContain('secret.example.yaml');
    expect([...kustomization.resources, 'kustomization.yaml', 'secret.example.yaml'].sort()).toEqual(
      [...yamlFiles].sort(),
    );
  });

  it('runs one worker Deployment per stage, serving only that queue', () => {
    for (const stage of STAGES) {
      const d = deployments.find((x) => x.metadata.name === `worker-${stage}`);
      expect(d, stage).toBeDefined();
      const container = d.spec.template.spec.containers[0];
      expect(container.command.at(-1)).toBe('services/worker/src/main.ts');
      expect(container.env).toContainEqual({ name: 'QUEUES', value: stage });
    }
  });

  it('scales each queue with a KEDA ScaledObject on its waiting jobs, prioritized ones included', () => {
    const prefix = configMap.data.LIGHTBOX_REDIS_PREFIX;
    expect(prefix).toMatch(/^\{.+\}$/); // hash-tagged: Redis Cluster ready
    const scalers = ofKind('ScaledObject');
    expect(scalers).toHaveLength(STAGES.length);
    for (const s of scalers) {
      const target = deployments.find((d) => d.metadata.name === s.spec.scaleTargetRef.name);
      expect(target, s.metadata.name).toBeDefined();
      const stage = target.spec.template.spec.containers[0].env.find((e: Doc) => e.name === 'QUEUES').value;
      // A redis list trigger counts only BullMQ's `wait` list; prioritized jobs live in a sorted set.
      // lightbox_queue_jobs{state="waiting"} counts both (packages/queue: counts()).
      const [trigger] = s.spec.triggers;
      expect(trigger.type).toBe('prometheus');
      expect(trigger.metadata.serverAddress).toBe(PROMETHEUS_ADDRESS);
      expect(trigger.metadata.query).toBe(`max(lightbox_queue_jobs{stage="${stage}",state="waiting"})`);
      expect(Number(trigger.metadata.threshold)).toBeGreaterThan(0);
      // Delayed jobs only move to wait while a worker runs: never scale a stage to zero.
      expect(s.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
      expect(s.spec.maxReplicaCount).toBeGreaterThan(s.spec.minReplicaCount);
    }
  });

  it('scales on a metric the API really exports, with the labels the query uses', async () => {
    const metrics = new LightboxMetrics('api', {
      queueCounts: async () => STAGES.map((name) => ({ name, waiting: 1, active: 0, delayed: 0, failed: 0 })),
    });
    const text = await metrics.text();
    for (const stage of STAGES)
      expect(text).toMatch(
        new RegExp(`^lightbox_queue_jobs\\{stage="${stage}",state="waiting",service="api"\\} 1$`, 'm'),
      );
  });

  it('gives every container probes on ports it declares, resources, and a non-root, read-only root', () => {
    for (const d of deployments) {
      const spec = d.spec.template.spec;
      const c = spec.containers[0];
      const portNames = (c.ports ?? []).map((p: Doc) => p.name);
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        expect(c[probe], `${d.metadata.name} ${probe}`).toBeDefined();
        expect(portNames).toContain(c[probe].httpGet.port);
      }
      // /metrics answers 401 once LIGHTBOX_METRICS_TOKEN is set: probes use /livez and /healthz.
      expect(c.startupProbe.httpGet.path, d.metadata.name).toBe('/livez');
      expect(c.livenessProbe.httpGet.path, d.metadata.name).toBe('/livez');
      expect(c.readinessProbe.httpGet.path, d.metadata.name).toBe('/healthz');
      expect(c.image, d.metadata.name).toBe(IMAGE);
      expect(c.image).toMatch(/:\d+\.\d+\.\d+$/); // pinned, never :latest
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
      // tsx compiles to a cache under /tmp: it must be writable.
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      const metricsPort = c.env?.find((e: Doc) => e.name === 'LIGHTBOX_METRICS_PORT')?.value;
      if (metricsPort)
        expect(c.ports.find((p: Doc) => p.name === 'metrics').containerPort).toBe(Number(metricsPort));
      // Workers need time to finish or hand back jobs on SIGTERM.
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    }
  });

  it('covers every Deployment except the single hot-folder watcher with a PodDisruptionBudget', () => {
    const pdbs = ofKind('PodDisruptionBudget');
    for (const d of deployments) {
      const covered = pdbs.some((p) => matches(p.spec.selector.matchLabels, d.spec.template.metadata.labels));
      expect(covered, d.metadata.name).toBe(d.metadata.name !== 'ingest');
    }
  });

  it('gives the API and ingest a writable spool under LIGHTBOX_DATA_DIR', () => {
    for (const name of ['api', 'ingest']) {
      const d = deployments.find((x) => x.metadata.name === name);
      expect(d.spec.template.spec.containers[0].volumeMounts, name).toContainEqual({
        name: 'spool',
        mountPath: join(configMap.data.LIGHTBOX_DATA_DIR, 'spool'),
      });
      expect(d.spec.template.spec.volumes.map((v: Doc) => v.name)).toContain('spool');
    }
  });

  it('routes the API Service to the API pods', () => {
    const svc = ofKind('Service').find((s) => s.metadata.name === 'api');
    const api = deployments.find((d) => d.metadata.name === 'api');
    expect(matches(svc.spec.selector, api.spec.template.metadata.labels)).toBe(true);
    expect(api.spec.template.spec.containers[0].ports.map((p: Doc) => p.name)).toContain(
      svc.spec.ports[0].targetPort,
    );
  });

  it('mounts the hot folder from a claim that exists', () => {
    const ingest = deployments.find((d) => d.metadata.name === 'ingest');
    const volume = ingest.spec.template.spec.volumes.find((v: Doc) => v.name === 'hotfolder');
    expect(ofKind('PersistentVolumeClaim').map((p) => p.metadata.name)).toContain(
      volume.persistentVolumeClaim.claimName,
    );
    expect(ingest.spec.template.spec.containers[0].volumeMounts).toContainEqual({
      name: 'hotfolder',
      mountPath: join(configMap.data.LIGHTBOX_DATA_DIR, 'inbox'),
    });
  });

  it('sets only variables the config schema knows, and each container gets a valid config', () => {
    const shared = { ...configMap.data, ...appSecret.stringData };
    for (const key of Object.keys(shared)) expect(CONFIG_ENV_KEYS, key).toContain(key);
    for (const d of deployments) {
      const c = d.spec.template.spec.containers[0];
      const env = { ...shared, ...Object.fromEntries((c.env ?? []).map((e: Doc) => [e.name, e.value])) };
      for (const key of Object.keys(env))
        expect(CONFIG_ENV_KEYS, `${d.metadata.name}: ${key}`).toContain(key);
      expect(() => loadConfig(env), d.metadata.name).not.toThrow();
      expect(existsSync(join(root, c.command.at(-1))), c.command.at(-1)).toBe(true);
    }
  });
});
