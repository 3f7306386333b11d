/**
 * The clickstream generator's per-user session state, in typed arrays: one slot per user seen,
 * each field a column indexed by slot.
 *
 * Why columns and not an object per user in a Map: at 100,000 users that was ~100,000 objects, their
 * session-id strings and a Map of them in the old generation, all walked by every mark-compact, and
 * the Map's rehash as it grew past each power of two stopped the send loop for several ms
 * mid-run. Typed arrays hold no pointers, so the collector never walks them, and they grow by
 * copying bytes. A session id is kept as the four 32-bit words it is made of (sampling.ts
 * `uuidFromWords`), so opening a session allocates nothing that outlives a record.
 *
 * Invariants: a user's slot never changes once given; slots are handed out densely from 0, and
 * the columns hold 52 bytes per slot. They are sized up front for min(users, `PRESIZED_SLOTS`)
 * users (≤ 6.8 MB) and double beyond that: doubling copies every column, and at 100,000 keys the
 * copy when the 65,537th user appeared (5.5 s into a zipf run at 100,000 records/s) held up
 * ~1,000-3,000 records by more than 5 ms. Users are found through an Int32Array
 * indexed by user when there are at most `DENSE_USERS_LIMIT` of them (4 bytes per possible user,
 * ≤ 4 MiB), through a Map beyond that, so a key space of billions costs memory only for the users
 * that appear.
 */

/** The event types, in the order of their codes in the `state` column. */
export const EVENT_TYPES = ['page_view', 'click', 'add_to_cart', 'checkout', 'exit'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const EventCode = { page_view: 0, click: 1, add_to_cart: 2, checkout: 3, exit: 4 } as const satisfies Record<EventType, number>;

/** Above this many users, users are found through a Map instead of an array indexed by user. */
export const DENSE_USERS_LIMIT = 1 << 20;

/** Slots the columns are sized for at the start when there are that many users. */
export const PRESIZED_SLOTS = 1 << 17;

export class SessionTable {
  /** Slots in use. */
  size = 0;
  /** Session id of each slot, four 32-bit words (sampling.ts `uuidWord`, `uuidFromWords`). */
  sessionWords: Int32Array;
  /** `EventCode` of the user's last event. */
  state: Uint8Array;
  eventIndex: Float64Array;
  lastEventUs: Float64Array;
  cartItems: Float64Array;
  cartTotalCents: Float64Array;
  /** Indexes into the generator's DEVICES, COUNTRIES and PAGES lists. */
  device: Uint8Array;
  country: Uint8Array;
  page: Uint8Array;
  /** Slot + 1 by user index (0: not seen), when the users fit `DENSE_USERS_LIMIT`. */
  private readonly denseSlots: Int32Array | undefined;
  private readonly sparseSlots = new Map<number, number>();

  constructor(users: number) {
    this.denseSlots = users <= DENSE_USERS_LIMIT ? new Int32Array(users) : undefined;
    const slots = Math.max(1, Math.min(users, PRESIZED_SLOTS));
    this.sessionWords = new Int32Array(slots * 4);
    this.state = new Uint8Array(slots);
    this.eventIndex = new Float64Array(slots);
    this.lastEventUs = new Float64Array(slots);
    this.cartItems = new Float64Array(slots);
    this.cartTotalCents = new Float64Array(slots);
    this.device = new Uint8Array(slots);
    this.country = new Uint8Array(slots);
    this.page = new Uint8Array(slots);
  }

  /** The user's slot, or -1 before the user's first event. */
  slotOf(userIndex: number): number {
    const dense = this.denseSlots;
    if (dense !== undefined && userIndex < dense.length) return (dense[userIndex] as number) - 1;
    return this.sparseSlots.get(userIndex) ?? -1;
  }

  /** Gives the user a new slot (the user must have none) and returns it; its fields are zero. */
  add(userIndex: number): number {
    const slot = this.size;
    if (slot === this.state.length) this.grow(slot * 2);
    this.size += 1;
    const dense = this.denseSlots;
    if (dense !== undefined && userIndex < dense.length) dense[userIndex] = slot + 1;
    else this.sparseSlots.set(userIndex, slot);
    return slot;
  }

  private grow(slots: number): void {
    const widen = <T extends Uint8Array | Int32Array | Float64Array>(column: T, make: (length: number) => T, perSlot = 1): T => {
      const wider = make(slots * perSlot);
      wider.set(column);
      return wider;
    };
    this.sessionWords = widen(this.sessionWords, (n) => new Int32Array(n), 4);
    this.state = widen(this.state, (n) => new Uint8Array(n));
    this.eventIndex = widen(this.eventIndex, (n) => new Float64Array(n));
    this.lastEventUs = widen(this.lastEventUs, (n) => new Float64Array(n));
    this.cartItems = widen(this.cartItems, (n) => new Float64Array(n));
    this.cartTotalCents = widen(this.cartTotalCents, (n) => new Float64Array(n));
    this.device = widen(this.device, (n) => new Uint8Array(n));
    this.country = widen(this.country, (n) => new Uint8Array(n));
    this.page = widen(this.page, (n) => new Uint8Array(n));
  }
}
