/**
 * The heaviest partition keys in fixed memory: the Space-Saving sketch (Metwally, Agrawal,
 * El Abbadi, "Efficient Computation of Frequent and Top-k Elements in Data Streams", ICDT 2005).
 *
 * Invariants, with capacity m and total weight W:
 * - at most m keys are held, whatever the number of distinct keys;
 * - each held key's `count` over-estimates its true weight by at most its `errorBound`, and
 *   `errorBound` ≤ W / m: with m = 1,000 and W = 1,000,000, no estimate is off by more than 1,000;
 * - any key whose true weight exceeds W / m is held.
 * Counters sit in a min-heap keyed by count, so `add` costs O(log m) (about 10 steps at m = 1,000).
 */
import { InvalidOptionError } from '../errors.js';

export interface HotKey {
  readonly key: string;
  /** Estimated weight: never below the true weight. */
  readonly count: number;
  /** How much of `count` may come from keys this counter replaced; `count − errorBound` is guaranteed. */
  readonly errorBound: number;
}

export interface HotKeySketch {
  /** Count `weight` (records or bytes, > 0) for `key`. */
  add(key: string, weight?: number): void;
  /** The `n` heaviest keys by estimated count, heaviest first. */
  top(n: number): HotKey[];
  /** Sum of every weight added since creation or the last `clear()`. */
  totalWeight(): number;
  /** Forget everything (start a new measurement window). */
  clear(): void;
}

interface Counter {
  key: string;
  count: number;
  errorBound: number;
  heapIndex: number;
}

/** @param capacity counters kept; 1,000 use ~100 KB. */
export function createHotKeySketch(capacity = 1000): HotKeySketch {
  if (!Number.isSafeInteger(capacity) || capacity < 1) {
    throw new InvalidOptionError('capacity', `Expected \`capacity\` to be an integer ≥ 1, got ${capacity}`);
  }
  let byKey = new Map<string, Counter>();
  let heap: Counter[] = [];
  let total = 0;

  function swap(i: number, j: number): void {
    const a = heap[i] as Counter;
    const b = heap[j] as Counter;
    heap[i] = b;
    heap[j] = a;
    b.heapIndex = i;
    a.heapIndex = j;
  }

  function siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Counter).count <= (heap[i] as Counter).count) return;
      swap(i, parent);
      i = parent;
    }
  }

  function siftDown(index: number): void {
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && (heap[left] as Counter).count < (heap[smallest] as Counter).count) smallest = left;
      if (right < heap.length && (heap[right] as Counter).count < (heap[smallest] as Counter).count) smallest = right;
      if (smallest === i) return;
      swap(i, smallest);
      i = smallest;
    }
  }

  return {
    add(key, weight = 1) {
      if (!(weight > 0) || !Number.isFinite(weight)) {
        throw new RangeError(`Expected \`weight\` to be a finite number > 0, got ${weight}`);
      }
      total += weight;
      const counter = byKey.get(key);
      if (counter !== undefined) {
        counter.count += weight;
        siftDown(counter.heapIndex);
      } else if (heap.length < capacity) {
        const fresh: Counter = { key, count: weight, errorBound: 0, heapIndex: heap.length };
        heap.push(fresh);
        byKey.set(key, fresh);
        siftUp(fresh.heapIndex);
      } else {
        // Space-Saving's rule: the new key takes over the smallest counter and inherits its count
        // as the error it may carry (it could have been seen that often before, unrecorded).
        const evicted = heap[0] as Counter;
        byKey.delete(evicted.key);
        evicted.key = key;
        evicted.errorBound = evicted.count;
        evicted.count += weight;
        byKey.set(key, evicted);
        siftDown(0);
      }
    },
    top(n) {
      return [...heap]
        .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
        .slice(0, Math.max(n, 0))
        .map(({ key, count, errorBound }) => ({ key, count, errorBound }));
    },
    totalWeight: () => total,
    clear() {
      byKey = new Map();
      heap = [];
      total = 0;
    },
  };
}
