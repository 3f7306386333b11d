import { describe, expect, it } from 'vitest';
import { MIN_STAGED_BYTES, StagedBytes } from '../../src/aggregation/staged-bytes.js';

function write(staged: StagedBytes, bytes: Uint8Array): void {
  const out = staged.reserve(bytes.length);
  out.set(bytes, staged.length);
  staged.length += bytes.length;
}

describe('StagedBytes', () => {
  it('keeps what was written while it grows by doubling', () => {
    const staged = new StagedBytes();
    const written: number[] = [];
    for (let i = 0; i < 300; i++) {
      const chunk = Uint8Array.from({ length: 50 }, (_, j) => (i * 7 + j) & 0xff);
      write(staged, chunk);
      written.push(...chunk);
    }
    expect(staged.capacity).toBe(MIN_STAGED_BYTES * 4);
    const out = new Uint8Array(3 + staged.length);
    expect(staged.copyTo(out, 3)).toBe(3 + written.length);
    expect([...out.subarray(3)]).toEqual(written);
  });

  it('keeps its memory after clear() while the next fill is alike, drops it when four times too large', () => {
    const staged = new StagedBytes();
    write(staged, new Uint8Array(40_000));
    const big = staged.capacity;
    expect(big).toBe(65_536);
    staged.clear();
    expect(staged.length).toBe(0);
    expect(staged.capacity).toBe(big);
    write(staged, new Uint8Array(16_384));
    staged.clear();
    expect(staged.capacity).toBe(big);
    write(staged, new Uint8Array(16_383));
    staged.clear();
    expect(staged.capacity).toBe(0);
    write(staged, new Uint8Array(5));
    expect(staged.capacity).toBe(MIN_STAGED_BYTES);
  });
});
