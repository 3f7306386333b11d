import { describe, expect, it } from 'vitest';
import { OutputSlabs } from '../src/output-slabs.js';

describe('OutputSlabs', () => {
  it('carves leases from one slab back to back', () => {
    const slabs = new OutputSlabs({ slabBytes: 1_000 });
    const a = slabs.lease(100);
    const b = slabs.lease(200);
    expect(a.slab).toBe(b.slab);
    expect(a.data.buffer).toBe(b.data.buffer);
    expect(b.data.byteOffset - a.data.byteOffset).toBe(100);
    expect([a.data.length, b.data.length]).toEqual([100, 200]);
  });

  it('reuses a full slab only once every lease of it is released', () => {
    const slabs = new OutputSlabs({ slabBytes: 1_000 });
    const first = [slabs.lease(250), slabs.lease(250), slabs.lease(250), slabs.lease(250)];
    const next = slabs.lease(250); // the first slab is full: a new one
    expect(next.slab).not.toBe(first[0]?.slab);
    for (const l of first.slice(0, 3)) slabs.release(l.slab!);
    expect(slabs.freeSlabs).toBe(0); // one lease still out
    slabs.release(first[3]!.slab!);
    expect(slabs.freeSlabs).toBe(1);
    for (let i = 0; i < 3; i++) slabs.lease(250); // fills the second slab
    const reused = slabs.lease(250);
    expect(reused.slab).toBe(first[0]?.slab);
    expect(reused.data.byteOffset).toBe(first[0]?.data.byteOffset);
  });

  it('never hands out memory of a slab with a lease still out', () => {
    const slabs = new OutputSlabs({ slabBytes: 1_000, maxFreeSlabs: 4 });
    const out = new Map<Buffer, number>();
    let x = 7;
    for (let i = 0; i < 5_000; i++) {
      x = (x * 48271) % 2147483647;
      if (out.size > 0 && x % 3 === 0) {
        const [data] = out.keys();
        const lease = out.get(data!)!;
        expect(data!.every((b) => b === (lease & 0xff))).toBe(true); // untouched since written
        out.delete(data!);
        slabs.release((data as Buffer & { slab: never }).slab);
      } else {
        const lease = slabs.lease(1 + (x % 250));
        lease.data.fill(i & 0xff);
        Object.assign(lease.data, { slab: lease.slab });
        out.set(lease.data, i);
      }
    }
  });

  it('gives a large aggregate a buffer of its own, and keeps at most maxFreeSlabs', () => {
    const slabs = new OutputSlabs({ slabBytes: 1_000, maxFreeSlabs: 1 });
    expect(slabs.lease(251).slab).toBeUndefined();
    const leases = Array.from({ length: 12 }, () => slabs.lease(250));
    slabs.lease(250);
    for (const l of leases) slabs.release(l.slab!);
    expect(slabs.freeSlabs).toBe(1);
  });

  it('refuses a release without a lease', () => {
    const slabs = new OutputSlabs({ slabBytes: 1_000 });
    const lease = slabs.lease(10);
    slabs.release(lease.slab!);
    expect(() => slabs.release(lease.slab!)).toThrow('released more often than leased');
  });
});
