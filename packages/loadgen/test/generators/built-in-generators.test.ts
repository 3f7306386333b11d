import { describe, expect, it } from 'vitest';
import { BUILT_IN_GENERATORS } from '../../src/generators/load-generator.js';
import { generate, groupBy } from './helpers.js';

describe.each(Object.keys(BUILT_IN_GENERATORS))('built-in generator %s', (name) => {
  it('is deterministic per seed and differs across seeds', async () => {
    expect(await generate(name, 200, { seed: 5 })).toEqual(await generate(name, 200, { seed: 5 }));
    expect(await generate(name, 200, { seed: 5 })).not.toEqual(await generate(name, 200, { seed: 6 }));
  });

  it('produces JSON records of a realistic size that carry their key field', async () => {
    const records = await generate(name, 500);
    const keyField = BUILT_IN_GENERATORS[name]!.keyField;
    for (const record of records) {
      const size = JSON.stringify(record).length;
      expect(size).toBeGreaterThan(80);
      expect(size).toBeLessThan(2_000);
      const key = keyField.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown>)[part], record);
      expect(key).toBeDefined();
    }
  });

  it('works keyless, choosing its own entities', async () => {
    const records = await generate(name, 100, { distribution: { kind: 'none' } });
    expect(records).toHaveLength(100);
  });
});

describe('clickstream', () => {
  it('runs each user through a consistent session state machine', async () => {
    const records = await generate('clickstream', 20_000, { distribution: { kind: 'uniform', keys: 200 } });
    const types = new Map<string, number>();
    for (const sessions of groupBy(records, 'sessionId').values()) {
      expect(sessions[0]?.eventType).toBe('page_view');
      expect(sessions.map((e) => e.eventIndex)).toEqual(sessions.map((_, i) => i));
      let cartItems = 0;
      let cartTotal = 0;
      for (const event of sessions) {
        types.set(event.eventType as string, (types.get(event.eventType as string) ?? 0) + 1);
        if (event.eventType === 'add_to_cart') {
          cartItems += event.quantity as number;
          cartTotal += (event.quantity as number) * (event.priceCents as number);
          expect(event.cartItems).toBe(cartItems);
        }
        if (event.eventType === 'checkout') {
          expect(cartItems).toBeGreaterThan(0);
          expect(event.totalCents).toBe(cartTotal);
          expect(event).toBe(sessions.at(-1));
        }
      }
    }
    // Page views dominate, checkouts are rare but present (a conversion funnel).
    const pageViews = types.get('page_view') ?? 0;
    const checkouts = types.get('checkout') ?? 0;
    expect(pageViews / records.length).toBeGreaterThan(0.35);
    expect(checkouts).toBeGreaterThan(0);
    expect(checkouts / records.length).toBeLessThan(0.05);
  });

  it('reports the gap since the user’s previous event and opens a new session after the timeout', async () => {
    const records = await generate('clickstream', 2_000, { distribution: { kind: 'uniform', keys: 2 }, options: { sessionTimeoutMs: 15 } });
    // Two users, a record every 10 ms: a user’s gaps are multiples of 10 ms, and a gap > 15 ms
    // always opens a new session.
    for (const events of groupBy(records, 'userId').values()) {
      for (let i = 1; i < events.length; i++) {
        const gap = events[i]!.msSincePrevious as number;
        expect(gap % 10).toBe(0);
        if (gap > 15) expect(events[i]!.sessionId).not.toBe(events[i - 1]!.sessionId);
      }
    }
  });
});

describe('iot', () => {
  it('continues each device’s readings: sequence +1, bounded temperature steps, draining battery', async () => {
    const records = await generate('iot', 5_000, { distribution: { kind: 'roundRobin', keys: 10 } });
    for (const readings of groupBy(records, 'deviceId').values()) {
      expect(readings.map((r) => r.readingSeq)).toEqual(readings.map((_, i) => i));
      for (let i = 1; i < readings.length; i++) {
        const step = Math.abs((readings[i]!.metrics as { temperatureC: number }).temperatureC - (readings[i - 1]!.metrics as { temperatureC: number }).temperatureC);
        expect(step).toBeLessThan(2);
        expect(readings[i]!.batteryPct).toBeLessThanOrEqual(readings[i - 1]!.batteryPct as number);
        expect(readings[i]!.location).toEqual(readings[0]!.location);
      }
    }
  });
});

describe('orders', () => {
  it('makes totals add up and keeps a customer’s currency', async () => {
    const records = await generate('orders', 1_000);
    for (const order of records) {
      const items = order.items as { quantity: number; unitPriceCents: number }[];
      expect(items.length).toBeGreaterThanOrEqual(1);
      expect(order.subtotalCents).toBe(items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0));
      expect(order.totalCents).toBe((order.subtotalCents as number) + (order.shippingCents as number));
    }
    for (const orders of groupBy(records, 'customerId').values()) {
      expect(new Set(orders.map((o) => o.currency)).size).toBe(1);
    }
  });
});

describe('changelog', () => {
  it('keeps each row’s log consistent: create first, before = previous after, create after delete', async () => {
    const records = await generate('changelog', 5_000, { distribution: { kind: 'uniform', keys: 20 } });
    const lsns = records.map((r) => (r.source as { lsn: number }).lsn);
    expect(lsns).toEqual([...lsns].sort((a, b) => a - b));
    const byRow = new Map<number, Record<string, unknown>[]>();
    for (const r of records) {
      const id = (r.key as { id: number }).id;
      byRow.set(id, [...(byRow.get(id) ?? []), r]);
    }
    for (const events of byRow.values()) {
      let current: unknown = null;
      for (const event of events) {
        expect(event.before).toEqual(current);
        expect(event.op).toBe(current === null ? 'c' : event.after === null ? 'd' : 'u');
        current = event.after;
      }
    }
    const ops = records.map((r) => r.op);
    expect(ops.filter((o) => o === 'd').length / ops.length).toBeGreaterThan(0.03);
  });
});
