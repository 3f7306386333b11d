import { describe, expect, it } from 'vitest';
import { BufferAccountant } from '../src/buffer-accountant.js';

describe('BufferAccountant', () => {
  it('admits until either bound is reached, then queues in order', () => {
    const b = new BufferAccountant(3, 100);
    expect(b.tryAdmit(40)).toBe(true);
    expect(b.tryAdmit(40)).toBe(true);
    expect(b.tryAdmit(40)).toBe(false); // 120 bytes > 100
    const admitted: string[] = [];
    b.enqueue({ bytes: 40, admit: () => admitted.push('a') });
    b.enqueue({ bytes: 10, admit: () => admitted.push('b') });
    expect(b.tryAdmit(1)).toBe(false); // nobody jumps the queue
    b.release(1, 40);
    expect(admitted).toEqual(['a', 'b']);
    expect(b.records).toBe(3);
    expect(b.bytes).toBe(90);
  });

  it('admits a record larger than the byte bound when nothing else is held', () => {
    const b = new BufferAccountant(10, 100);
    expect(b.tryAdmit(500)).toBe(true);
    expect(b.tryAdmit(1)).toBe(false);
    b.release(1, 500);
    expect(b.tryAdmit(1)).toBe(true);
  });

  it('bounds records as well as bytes', () => {
    const b = new BufferAccountant(2, 1_000_000);
    expect(b.tryAdmit(1)).toBe(true);
    expect(b.tryAdmit(1)).toBe(true);
    expect(b.tryAdmit(1)).toBe(false);
  });
});
