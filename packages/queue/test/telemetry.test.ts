import { eventually, randomPrefix, startLocalRedis, type TestRedis } from '@lightbox/test-infra';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncHooksContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineQueues, pipelineTelemetry, startStageWorkers } from '../src/index.js';

describe('OpenTelemetry tracing across stages (bullmq-otel)', () => {
  let redis: TestRedis;
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  beforeAll(async () => {
    redis = await startLocalRedis();
    context.setGlobalContextManager(new AsyncHooksContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    // The job carries its producer's context as W3C trace context (the OpenTelemetry SDK's default).
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
    await redis?.stop();
  });

  it('is off unless asked for', () => {
    expect(pipelineTelemetry(false)).toBeUndefined();
    expect(pipelineTelemetry(true)).toBeDefined();
  });

  it('makes one trace of a photo going from render to match', async () => {
    const prefix = randomPrefix('otel');
    const telemetry = pipelineTelemetry(true);
    const queues = new PipelineQueues({ redisUrl: redis.url, prefix, telemetry });
    let matched = false;
    const workers = startStageWorkers({
      redisUrl: redis.url,
      prefix,
      concurrency: {},
      telemetry,
      handlers: {
        // Like the render stage: the next stage is queued from inside the job.
        render: async ({ photoId }) => queues.add('match', { photoId }),
        match: async () => {
          matched = true;
        },
      },
    });
    await queues.add('render', { photoId: 'ph_traced' });
    await eventually(async () => matched, 20_000);
    await workers.close(5_000);
    await queues.close();

    const spans = exporter.getFinishedSpans();
    const span = (name: string) => {
      const found = spans.find((s) => s.name.startsWith(name));
      if (!found) throw new Error(`no span "${name}" among ${spans.map((s) => s.name).join(', ')}`);
      return found;
    };
    // add render → process render → add match (inside the job) → process match: one trace.
    const hops = ['add render', 'process render', 'add match', 'process match'].map(span);
    expect(new Set(hops.map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(span('add match').parentSpanContext?.spanId).toBe(span('process render').spanContext().spanId);
  });
});
