import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/scenario/scenario-error.js';
import { generate, START_US } from './helpers.js';

describe('JSON templates', () => {
  it('fills placeholders, keeping the type of a whole-value placeholder', async () => {
    const template = {
      id: '{{random.uuid}}',
      qty: '{{random.number({"min":1,"max":9})}}',
      color: '{{random.arrayElement(["red","green"])}}',
      tier: '{{random.weighted({"gold":1,"basic":3})}}',
      note: 'order {{seq}} for {{name.firstName}}',
      at: '{{date.now}}',
      nested: { list: ['{{key}}', 'fixed', 7], flag: '{{random.boolean}}' },
    };
    const records = await generate(template, 2_000);
    const first = records[0]!;
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.at).toBe(new Date(START_US / 1000).toISOString());
    expect(first.note).toMatch(/^order 0 for [A-Z][a-z]+$/);
    expect((first.nested as { list: unknown[] }).list.slice(1)).toEqual(['fixed', 7]);
    for (const record of records) {
      expect(Number.isInteger(record.qty)).toBe(true);
      expect(record.qty as number).toBeGreaterThanOrEqual(1);
      expect(record.qty as number).toBeLessThanOrEqual(9);
      expect(['red', 'green']).toContain(record.color);
      expect(typeof (record.nested as { flag: unknown }).flag).toBe('boolean');
    }
    const gold = records.filter((r) => r.tier === 'gold').length / records.length;
    expect(gold).toBeGreaterThan(0.2);
    expect(gold).toBeLessThan(0.3);
    expect(await generate(template, 50, { seed: 3 })).toEqual(await generate(template, 50, { seed: 3 }));
  });

  it.each([
    [{ a: { b: '{{random.nope}}' } }, 'records.template.a.b', 'Unknown placeholder {{random.nope}}'],
    [{ a: ['{{random.number({"min":5,"max":1})}}'] }, 'records.template.a[0]', 'Expected max ≥ min'],
    [{ a: '{{random.arrayElement([])}}' }, 'records.template.a', 'Expected a non-empty array'],
  ])('rejects %o at load time, naming the field', async (template, fieldPath, message) => {
    const error = await generate(template, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).fieldPath).toBe(fieldPath);
    expect((error as ScenarioError).message).toContain(message);
  });
});

describe('generator modules', () => {
  it('loads a module relative to the scenario directory and passes options and keys', async () => {
    const records = await generate('./counter-generator.mjs', 3, { options: { label: 'x' }, distribution: { kind: 'roundRobin', keys: 2 } });
    expect(records.map((r) => [r.account, r.seq, r.count, r.label])).toEqual([
      ['acct-0', 0, 1, 'x'],
      ['acct-1', 1, 2, 'x'],
      ['acct-0', 2, 3, 'x'],
    ]);
  });

  it.each([
    ['./missing.mjs', 'Cannot load generator module'],
    ['./not-a-generator.mjs', 'to export a function `createGenerator(init)`'],
    ['clickstreem', 'Unknown generator "clickstreem"'],
  ])('reports %s as a scenario error', async (template, message) => {
    const error = await generate(template, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).message).toContain(message);
  });
});
