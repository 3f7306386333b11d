import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeRecord } from '../../src/envelope.js';
import { loadGenerator } from '../../src/generators/load-generator.js';
import { createRecordSource } from '../../src/generators/record-source.js';
import { createKeyChooser } from '../../src/keys/key-chooser.js';
import { forkRandom } from '../../src/random.js';
import { parseScenarioText } from '../../src/scenario/load-scenario.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';
import { FIXTURES, START_US } from './helpers.js';

function scenario(records: string) {
  return parseScenarioText(`name: t\nstream: { name: s }\nrecords: ${records}\nphases: [{ duration: 1s, rate: 1 }]\n`);
}

async function take(records: string, count: number) {
  const source = await createRecordSource({ scenario: scenario(records), runId: 'run-1', baseDir: FIXTURES });
  return Array.from({ length: count }, (_, seq) => source.next(seq, START_US + seq));
}

describe('createRecordSource', () => {
  it('uses the generator’s entity field as partition key and wraps the body in the envelope', async () => {
    const [first] = await take('{ template: clickstream }', 1);
    expect(first?.partitionKey).toBe(first?.body.userId);
    const text = new TextDecoder().decode(first?.data);
    expect(text.startsWith('{"_loadgen":{"runId":"run-1","seq":0,')).toBe(true);
    expect(decodeEnvelope(first!.data)).toEqual({ runId: 'run-1', seq: 0, intendedAtUs: START_US });
    expect(JSON.parse(text).eventType).toBe('page_view');
  });

  it.each([
    ['{ template: changelog }', (body: Record<string, unknown>) => String((body.key as { id: number }).id)],
    ['{ template: orders, partitionKey: { field: currency } }', (body: Record<string, unknown>) => body.currency],
    ['{ template: { n: "{{seq}}" }, partitionKey: { distribution: { roundRobin: true, keys: 3 } } }', (body: Record<string, unknown>) => String((body.n as number) % 3)],
  ])('derives the partition key for %s', async (records, expected) => {
    for (const record of await take(records, 20)) expect(record.partitionKey).toBe(expected(record.body));
  });

  it.each([
    ['keyed, padded', '{ template: clickstream, sizeBytes: 400, partitionKey: { distribution: { zipf: 0.99, keys: 1000 } } }', 1_000],
    ['keyless', '{ template: clickstream, partitionKey: { distribution: none } }', 0],
  ])("writes clickstream's records by its byte path as its body objects encode (%s)", async (_name, records, keys) => {
    const loaded = scenario(records);
    const source = await createRecordSource({ scenario: loaded, runId: 'run-1', baseDir: FIXTURES });
    const { generator } = await loadGenerator({ template: 'clickstream', options: {}, keys, random: forkRandom(loaded.seed, 'records'), baseDir: FIXTURES });
    const chooseKey = createKeyChooser(loaded.records.partitionKey.distribution, forkRandom(loaded.seed, 'keys'));
    for (let seq = 0; seq < 3_000; seq++) {
      const intendedAtUs = START_US + seq * 1_000;
      const record = source.next(seq, intendedAtUs);
      const keyIndex = chooseKey();
      const body = generator.next({ seq, keyIndex, intendedAtUs });
      if (Buffer.compare(record.data, encodeRecord({ runId: 'run-1', seq, intendedAtUs }, body, loaded.records.sizeBytes)) !== 0) expect.fail(`record ${seq} differs`);
      if (record.partitionKey !== (keys === 0 ? undefined : body.userId)) expect.fail(`record ${seq}: key ${record.partitionKey}, expected ${String(body.userId)}`);
      if (seq % 100 === 0) expect(record.body).toEqual(body);
    }
  });

  it('sends keyless records without a partition key', async () => {
    const records = await take('{ template: iot, partitionKey: { distribution: none } }', 5);
    expect(records.every((r) => r.partitionKey === undefined)).toBe(true);
  });

  it('pads records to sizeBytes', async () => {
    const records = await take('{ template: iot, sizeBytes: 2048 }', 5);
    expect(records.map((r) => r.data.length)).toEqual([2048, 2048, 2048, 2048, 2048]);
  });

  it('reports a partition key field the records lack', async () => {
    await expect(take('{ template: iot, partitionKey: { field: userId } }', 1)).rejects.toThrow(ScenarioError);
  });
});
