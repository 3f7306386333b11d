/**
 * The one rule for memory a long-lived encoder keeps between aggregates (a staging buffer, a key
 * index, key-length arrays): kept while the aggregate just finished needed at least a quarter of
 * it, dropped once it holds more than 4 times that need (and more than its starting size), so a
 * shard whose aggregates shrank does not keep its peak's memory.
 * Example: a 64 KiB staging buffer after an aggregate of 10 KB is dropped (65,536 > 40,000); after
 * one of 20 KB it is kept.
 */
export function holdsTooMuch(capacity: number, needed: number, startingCapacity: number): boolean {
  return capacity > startingCapacity && capacity > 4 * needed;
}
