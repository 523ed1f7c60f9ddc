import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_ENV_KEYS, loadConfig } from '@lightbox/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const services = compose.services as Record<string, ComposeService>;

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

interface ComposeService {
  image?: string;
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

/** Compose's `${VAR:-default}` / `${VAR:?message}` → the value a default run gets. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_m, name, dflt) =>
    name === 'LIGHTBOX_FEED_KEYS' ? 'wire:k' : name.endsWith('TOKENS') ? 'token' : (dflt ?? ''),
  );
}

describe('docker-compose.yml', () => {
  it('has Redis, MinIO with a bucket-init job, API, worker and ingest', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'ingest', 'minio', 'minio-init', 'redis', 'worker'].sort(),
    );
  });

  it('runs Redis as BullMQ production needs: AOF everysec, noeviction, persisted, health-checked', () => {
    const cmd = (service('redis').command as string[]).join(' ');
    expect(cmd).toContain('--appendonly yes');
    expect(cmd).toContain('--appendfsync everysec');
    expect(cmd).toContain('--maxmemory-policy noeviction');
    expect(service('redis').volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
    expect(service('redis').healthcheck?.test).toContain('ping');
  });

  it('creates the bucket before any Lightbox service starts', () => {
    const init = (service('minio-init').command as string[]).join(' ');
    expect(init).toContain('mc mb --ignore-existing local/lightbox');
    expect(service('minio-init').depends_on?.minio?.condition).toBe('service_healthy');
    for (const name of lightboxServices) {
      expect(service(name).depends_on?.['minio-init']?.condition).toBe('service_completed_successfully');
      expect(service(name).depends_on?.redis?.condition).toBe('service_healthy');
    }
  });

  it('builds one image and picks the service by command', () => {
    for (const name of lightboxServices) {
      expect(service(name).build?.dockerfile).toBe('infra/docker/Dockerfile');
      const command = service(name).command as string[];
      expect(command.at(-1)).toBe(`services/${name}/src/main.ts`);
      expect(readFileSync(join(root, command.at(-1) as string), 'utf8').length).toBeGreaterThan(0);
    }
  });

  it('health-checks every service against an endpoint the process really serves', () => {
    for (const name of Object.keys(services).filter((n) => n !== 'minio-init')) {
      expect(service(name).healthcheck, name).toBeDefined();
    }
    expect(service('api').healthcheck?.test.join(' ')).toContain(
      `127.0.0.1:${service('api').environment?.PORT}/healthz`,
    );
    for (const name of ['worker', 'ingest']) {
      const port = service(name).environment?.LIGHTBOX_METRICS_PORT;
      expect(port, name).toBeDefined();
      expect(service(name).healthcheck?.test.join(' ')).toContain(`127.0.0.1:${port}/metrics`);
    }
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
      expect.arrayContaining(['redis-data', 'minio-data', 'hotfolder']),
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
      expect(config.s3.endpoint).toBe('http://minio:9000');
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
