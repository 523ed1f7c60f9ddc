import type { Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';

/**
 * OpenTelemetry tracing across stages (bullmq-otel): each `add` opens a producer span whose context
 * travels in the job, and each run is a consumer span under it, so one photo's ingest → render →
 * match → publish is one trace. Off unless `LIGHTBOX_OTEL_TRACING=true`; spans go wherever the
 * process's OpenTelemetry SDK sends them (none registered: the API is a no-op). docs/operations.md.
 */
export function pipelineTelemetry(enabled: boolean, version = '0.1.0'): Telemetry | undefined {
  return enabled ? new BullMQOtel({ tracerName: 'lightbox', version }) : undefined;
}
