/**
 * The one place memory is bounded: counts user records and bytes held by the producer from
 * admission until their promise settles, and makes further puts wait (FIFO) or fail when full.
 *
 * Invariant: held records ≤ maxRecords and held bytes ≤ maxBytes, except that a single record
 * larger than the byte bound is admitted when nothing else is held (it could never fit otherwise).
 */
export interface Waiter {
  readonly bytes: number;
  readonly admit: () => void;
}

export class BufferAccountant {
  readonly maxRecords: number;
  readonly maxBytes: number;
  records = 0;
  bytes = 0;
  readonly #waiters: Waiter[] = [];
  #waiterHead = 0;

  constructor(maxRecords: number, maxBytes: number) {
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
  }

  get waiting(): number {
    return this.#waiters.length - this.#waiterHead;
  }

  #fits(bytes: number): boolean {
    if (this.records === 0) return true;
    return this.records + 1 <= this.maxRecords && this.bytes + bytes <= this.maxBytes;
  }

  /** Admits at once if there is room and nobody is queued ahead. */
  tryAdmit(bytes: number): boolean {
    if (this.waiting > 0 || !this.#fits(bytes)) return false;
    this.records++;
    this.bytes += bytes;
    return true;
  }

  /** Queues a put until there is room; `admit` runs once room is reserved for it. */
  enqueue(waiter: Waiter): void {
    this.#waiters.push(waiter);
  }

  /** Gives back what settled records held: `records` of them, `bytes` in all. */
  release(records: number, bytes: number): void {
    this.records -= records;
    this.bytes -= bytes;
    while (this.waiting > 0) {
      const next = this.#waiters[this.#waiterHead] as Waiter;
      if (!this.#fits(next.bytes)) break;
      this.#waiterHead++;
      this.records++;
      this.bytes += next.bytes;
      next.admit();
    }
    if (this.#waiterHead > 1024 && this.#waiterHead * 2 > this.#waiters.length) {
      this.#waiters.splice(0, this.#waiterHead);
      this.#waiterHead = 0;
    }
  }

  /** Removes every queued waiter (close with an error), returning them. */
  drainWaiters(): Waiter[] {
    const rest = this.#waiters.slice(this.#waiterHead);
    this.#waiters.length = 0;
    this.#waiterHead = 0;
    return rest;
  }
}
