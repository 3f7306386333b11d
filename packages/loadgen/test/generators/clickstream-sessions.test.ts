import { describe, expect, it } from 'vitest';
import { DENSE_USERS_LIMIT, SessionTable } from '../../src/generators/clickstream-sessions.js';

describe('clickstream session table', () => {
  it.each([
    ['found by array (dense)', 10_000, 7],
    ['found by map (sparse)', DENSE_USERS_LIMIT * 4, 1_234_567],
  ])('keeps each user\'s slot and fields while it grows past its first 1,024 slots, %s', (_name, users, stride) => {
    const table = new SessionTable(users);
    const userAt = (i: number): number => (i * stride) % users;
    for (let i = 0; i < 3_000; i++) {
      expect(table.slotOf(userAt(i))).toBe(-1);
      const slot = table.add(userAt(i));
      expect(slot).toBe(i);
      table.lastEventUs[slot] = i * 1_000;
      table.sessionWords[slot * 4 + 3] = -1 - i;
      table.page[slot] = i % 9;
    }
    for (let i = 0; i < 3_000; i++) {
      const slot = table.slotOf(userAt(i));
      expect(slot).toBe(i);
      expect([table.lastEventUs[slot], table.sessionWords[slot * 4 + 3], table.page[slot]]).toEqual([i * 1_000, -1 - i, i % 9]);
    }
    expect(table.size).toBe(3_000);
    expect(table.slotOf(userAt(3_000))).toBe(-1);
  });
});
