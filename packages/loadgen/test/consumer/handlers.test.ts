import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { aggregate } from '@shardline/producer';
import { toBatchItems } from '../../src/consumer/batch-item.js';
import { buildContext, buildEvent, type KinesisEvent, type LambdaContext } from '../../src/consumer/lambda-event.js';

type Handler = (event: KinesisEvent, context: LambdaContext) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
interface HandlerModule {
  handler: Handler;
  [stats: string]: unknown;
}

const handlersDir = fileURLToPath(new URL('../../../../scenarios/handlers/', import.meta.url));
async function load(name: string): Promise<HandlerModule> {
  vi.resetModules(); // a fresh "container" per test: module state starts empty
  return (await import(pathToFileURL(`${handlersDir}${name}`).href)) as HandlerModule;
}

/** One KPL aggregate per group of user records, as Lambda would deliver them. */
function eventOf(groups: Record<string, unknown>[][], key: (r: Record<string, unknown>) => string): KinesisEvent {
  const items = groups.flatMap((group, i) =>
    toBatchItems(
      'shardId-000000000000',
      {
        data: aggregate(group.map((r) => ({ partitionKey: key(r), data: new TextEncoder().encode(JSON.stringify(r)) }))),
        partitionKey: 'a',
        sequenceNumber: String(1000 + i),
        arrivalMs: Date.now(),
      },
      false,
    ),
  );
  return buildEvent(items, { region: 'us-east-1', eventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s' });
}

const context = (timeoutMs = 60_000): LambdaContext => buildContext('us-east-1', timeoutMs, () => Date.now() * 1000);

describe('scenario handlers', () => {
  it('sessionize: deaggregates and closes sessions at checkout or exit', async () => {
    const mod = await load('sessionize.mjs');
    const click = (sessionId: string, eventType: string, extra: Record<string, unknown> = {}) => ({ sessionId, userId: `u-${sessionId}`, eventType, ts: 't', ...extra });
    const event = eventOf(
      [
        [click('s1', 'page_view'), click('s1', 'add_to_cart', { cartItems: 2 }), click('s2', 'page_view')],
        [click('s1', 'checkout', { totalCents: 1999 }), click('s2', 'exit'), click('s3', 'page_view')],
      ],
      (r) => String(r.userId),
    );
    expect(event.Records).toHaveLength(2);
    await expect(mod.handler(event, context())).resolves.toEqual({ batchItemFailures: [] });
    expect((mod.sessionStats as () => unknown)()).toMatchObject({ events: 6, sessionsClosed: 2, checkouts: 1, revenueCents: 1999, openSessions: 1 });
  });

  it('sessionize: hands back the rest of the batch when the function is about to time out', async () => {
    const mod = await load('sessionize.mjs');
    const event = eventOf([[{ sessionId: 's', eventType: 'page_view' }]], () => 'k');
    const out = await mod.handler(event, context(100));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: '1000' }]);
  });

  it('telemetry: flags alarms, spikes, low batteries and gaps in a device sequence', async () => {
    const mod = await load('telemetry.mjs');
    const reading = (readingSeq: number, temperatureC: number, extra: Record<string, unknown> = {}) => ({
      deviceId: 'device-1',
      readingSeq,
      status: 'ok',
      batteryPct: 80,
      metrics: { temperatureC },
      ...extra,
    });
    const steady = Array.from({ length: 30 }, (_, i) => reading(i, 22 + (i % 2 === 0 ? 0.2 : -0.2)));
    const event = eventOf(
      [steady, [reading(30, 29), reading(32, 22, { status: 'alarm', batteryPct: 10 }), reading(32, 22)]],
      (r) => String(r.deviceId),
    );
    await mod.handler(event, context());
    expect((mod.telemetryStats as () => unknown)()).toEqual({
      invocations: 1,
      readings: 33,
      skipped: 0,
      devices: 1,
      anomalies: { alarm: 1, spike: 1, lowBattery: 1, gap: 1, repeat: 1 },
    });
  });

  it('slow-consumer: takes a fixed time per batch plus a time per user record', async () => {
    vi.stubEnv('SLOW_BATCH_MS', '20');
    vi.stubEnv('SLOW_RECORD_MS', '5');
    try {
      const mod = await load('slow-consumer.mjs');
      const event = eventOf([Array.from({ length: 4 }, (_, i) => ({ i }))], () => 'k');
      const started = performance.now();
      await mod.handler(event, context());
      expect(performance.now() - started).toBeGreaterThanOrEqual(39); // 20 + 4 × 5 ms
      expect((mod.slowConsumerStats as () => unknown)()).toEqual({ invocations: 1, records: 4 });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
