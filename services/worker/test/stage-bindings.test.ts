import { STAGES } from '@lightbox/contracts';
import { describe, expect, it } from 'vitest';
import type { WorkerDeps } from '../src/deps.js';
import { bindStages, STAGE_BINDINGS } from '../src/stage-bindings.js';

/** Every dependency, each a marker object that records which stage's handler was built over it. */
function markedDeps(): WorkerDeps {
  return new Proxy({} as WorkerDeps, { get: (_t, key) => ({ dep: String(key) }) });
}

describe('stage bindings', () => {
  it('binds every stage of the pipeline table', () => {
    expect(Object.keys(STAGE_BINDINGS).sort()).toEqual([...STAGES].sort());
  });

  it('hands each stage just the dependencies it declares', () => {
    for (const stage of STAGES) {
      const binding = STAGE_BINDINGS[stage];
      let given: object | undefined;
      const original = binding.handler;
      const spy = {
        ...binding,
        handler: (d: never) => {
          given = d;
          return original(d);
        },
      };
      (STAGE_BINDINGS as Record<string, unknown>)[stage] = spy;
      try {
        bindStages([stage], markedDeps());
      } finally {
        (STAGE_BINDINGS as Record<string, unknown>)[stage] = binding;
      }
      expect(Object.keys(given ?? {}).sort()).toEqual([...binding.needs].sort());
    }
  });

  it('keeps the webhook stage to its two', () => {
    expect([...STAGE_BINDINGS.webhook.needs].sort()).toEqual(['log', 'webhookSender']);
  });
});
