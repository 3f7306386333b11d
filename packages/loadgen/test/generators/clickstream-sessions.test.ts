import { describe, expect, it } from 'vitest';
import { DENSE_USERS_LIMIT, PRESIZED_SLOTS, SessionTable } from '../../src/generators/clickstream-sessions.js';

describe('clickstream session table', () => {
  it.each([
    ['users found by array, and by map above the user count', 1_000, 3_000, (i: number) => (i * 7) % 3_000, 3_000],
    ['users found by map (sparse)', DENSE_USERS_LIMIT * 4, PRESIZED_SLOTS + 5_000, (i: number) => (i * 1_234_567) % (DENSE_USERS_LIMIT * 4), 1],
  ])("keeps each user's slot and fields while the columns grow: %s", (_name, users, count, userAt, unseen) => {
    const table = new SessionTable(users);
    for (let i = 0; i < count; i++) {
      if (table.slotOf(userAt(i)) !== -1) expect.fail(`user ${userAt(i)} has a slot before it was added`);
      const slot = table.add(userAt(i));
      table.lastEventUs[slot] = i * 1_000;
      table.sessionWords[slot * 4 + 3] = -1 - i;
      table.page[slot] = i % 9;
    }
    const wrong: number[] = [];
    for (let i = 0; i < count; i++) {
      const slot = table.slotOf(userAt(i));
      if (slot !== i || table.lastEventUs[slot] !== i * 1_000 || table.sessionWords[slot * 4 + 3] !== -1 - i || table.page[slot] !== i % 9) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(table.size).toBe(count);
    expect(table.state.length).toBeGreaterThanOrEqual(count);
    expect(table.slotOf(unseen)).toBe(-1);
  });
});
