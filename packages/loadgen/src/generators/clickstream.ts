/**
 * Clickstream sessions as a state machine, one per user: page views, clicks, add-to-cart and
 * checkout, with transition probabilities and the gap since the user's previous event.
 *
 * Invariants: a user's events are ordered and consistent (checkout only after add-to-cart; the
 * cart total is the sum of what was added); a session ends at checkout, on `exit`, or after
 * `sessionTimeoutMs` without an event (Google Analytics' 30-minute rule), and the next event
 * opens a new session with a landing page view. State is kept per user seen, in typed arrays
 * (clickstream-sessions.ts: ~52 bytes per user, ≈ 5 MB for 100,000 users, none of it walked by the
 * garbage collector); a session id is stored as the four words it is made of and written out per
 * record, so the ~10,000 sessions per second that open at 100,000 records/s allocate nothing
 * that outlives a record. Each event is drawn once (`step`) into a reused `ClickEvent` and then
 * rendered as a body object (`next`) or straight into the record's bytes (`writeNext`, the path a
 * run takes; clickstream-event.ts), so the draws and the state machine exist once.
 *
 * Transitions (probabilities out of each state; the rest of the mass is `exit`):
 *   page_view   → page_view 0.45, click 0.35, add_to_cart 0.12        (exit 0.08)
 *   click       → page_view 0.50, click 0.25, add_to_cart 0.15        (exit 0.10)
 *   add_to_cart → page_view 0.35, click 0.15, add_to_cart 0.10, checkout `checkoutProbability` 0.30
 *   checkout    → session ends
 * Worked number: from a landing page a session reaches checkout ~4% of the time — a plausible
 * e-commerce conversion rate.
 */
import { randomInt, type Random } from '../random.js';
import { ClickEvent, ELEMENTS, eventObject, PAGES, REFERRERS, writeEvent } from './clickstream-event.js';
import { EventCode, SessionTable } from './clickstream-sessions.js';
import type { BuiltInGenerator, BytesRecordGenerator, GeneratorInit, RecordContext } from './generator.js';
import { COUNTRIES, DEVICES, intBetween, numberOption, pickWeighted, uuidWord } from './sampling.js';

/** PAGES[LANDING_PAGE] is '/', where every session starts. */
const LANDING_PAGE = 0;

/** Out of each state (by `EventCode`): the next state's code and its probability. */
type Transitions = readonly (readonly (readonly [number, number])[])[];

/** The transition table, built once per generator (not per event: no allocation on the hot path). */
function transitionTable(checkoutProbability: number): Transitions {
  const { page_view, click, add_to_cart, checkout, exit } = EventCode;
  return [
    [[page_view, 0.45], [click, 0.35], [add_to_cart, 0.12], [exit, 0.08]],
    [[page_view, 0.5], [click, 0.25], [add_to_cart, 0.15], [exit, 0.1]],
    [[page_view, 0.35], [click, 0.15], [add_to_cart, 0.1], [checkout, checkoutProbability], [exit, 0.1]],
    [[exit, 1]],
    [[exit, 1]],
  ];
}

export function createClickstreamGenerator({ random, options, keys }: GeneratorInit): BytesRecordGenerator {
  const sessionTimeoutUs = numberOption(options, 'sessionTimeoutMs', 30 * 60_000) * 1000;
  const transitions = transitionTable(numberOption(options, 'checkoutProbability', 0.3, 0, 1));
  const users = keys > 0 ? keys : numberOption(options, 'users', 10_000, 1);
  const table = new SessionTable(users);
  // The event being made, refilled for every record (see clickstream-event.ts).
  const event = new ClickEvent();

  /** Starts the user's next session in `slot` (a new slot or the user's own; same draws either way). */
  function openSession(slot: number, nowUs: number): void {
    const words = table.sessionWords;
    for (let i = 0; i < 4; i++) words[slot * 4 + i] = uuidWord(random);
    table.device[slot] = randomInt(random, DEVICES.length);
    table.country[slot] = randomInt(random, COUNTRIES.length);
    table.state[slot] = EventCode.exit;
    table.eventIndex[slot] = 0;
    table.lastEventUs[slot] = nowUs;
    table.cartItems[slot] = 0;
    table.cartTotalCents[slot] = 0;
    table.page[slot] = LANDING_PAGE;
  }

  /** Moves the user's session on by one event and fills `event` with it. */
  function step(keyIndex: number | undefined, intendedAtUs: number): void {
    const userIndex = keyIndex ?? Math.floor(random() * users);
    let slot = table.slotOf(userIndex);
    const gapUs = slot === -1 ? 0 : intendedAtUs - (table.lastEventUs[slot] as number);
    let type: number;
    const state = slot === -1 ? EventCode.exit : (table.state[slot] as number);
    if (slot === -1 || state === EventCode.exit || state === EventCode.checkout || gapUs > sessionTimeoutUs) {
      if (slot === -1) slot = table.add(userIndex);
      openSession(slot, intendedAtUs);
      type = EventCode.page_view;
    } else {
      type = pickWeighted(random, transitions[state] as Transitions[number]);
      if (type === EventCode.checkout && table.cartItems[slot] === 0) type = EventCode.page_view;
    }
    describe(random, table, slot, userIndex, type, gapUs, intendedAtUs, event);
    table.state[slot] = type;
    table.eventIndex[slot] = (table.eventIndex[slot] as number) + 1;
    table.lastEventUs[slot] = intendedAtUs;
  }

  return {
    next({ keyIndex, intendedAtUs }: RecordContext) {
      step(keyIndex, intendedAtUs);
      return eventObject(event);
    },
    writeNext(_seq, keyIndex, intendedAtUs, out) {
      step(keyIndex, intendedAtUs);
      return writeEvent(event, out);
    },
  };
}

/** Fills `event` with the user's next event of type `code`, drawing what the type needs. */
function describe(random: Random, table: SessionTable, slot: number, userIndex: number, code: number, gapUs: number, nowUs: number, event: ClickEvent): void {
  const words = table.sessionWords;
  const eventIndex = table.eventIndex[slot] as number;
  // The draws in the order the events have always made them: the event id first, then the type's.
  for (let i = 0; i < 4; i++) event.eventId[i] = uuidWord(random);
  event.code = code;
  event.userIndex = userIndex;
  event.intendedAtUs = nowUs;
  for (let i = 0; i < 4; i++) event.sessionId[i] = words[slot * 4 + i] as number;
  event.eventIndex = eventIndex;
  event.msSincePrevious = Math.round(gapUs / 1000);
  event.device = table.device[slot] as number;
  event.country = table.country[slot] as number;
  if (code === EventCode.page_view) {
    // A landing page's referrer is another site; a later page view's is the page before it.
    event.referrer = eventIndex === 0 ? randomInt(random, REFERRERS.length) : REFERRERS.length + (table.page[slot] as number);
    table.page[slot] = eventIndex === 0 ? LANDING_PAGE : randomInt(random, PAGES.length);
    event.page = table.page[slot] as number;
  } else if (code === EventCode.click) {
    event.page = table.page[slot] as number;
    event.element = randomInt(random, ELEMENTS.length);
  } else if (code === EventCode.add_to_cart) {
    const priceCents = intBetween(random, 299, 19_999);
    const quantity = intBetween(random, 1, 3);
    const cartItems = (table.cartItems[slot] as number) + quantity;
    table.cartItems[slot] = cartItems;
    table.cartTotalCents[slot] = (table.cartTotalCents[slot] as number) + priceCents * quantity;
    event.productNumber = intBetween(random, 1, 5_000);
    event.quantity = quantity;
    event.priceCents = priceCents;
    event.cartItems = cartItems;
  } else if (code === EventCode.checkout) {
    for (let i = 0; i < 4; i++) event.orderId[i] = uuidWord(random);
    event.cartItems = table.cartItems[slot] as number;
    event.totalCents = table.cartTotalCents[slot] as number;
  } else {
    event.page = table.page[slot] as number;
  }
}

export const clickstream: BuiltInGenerator = { create: createClickstreamGenerator, keyField: 'userId', defaultKeys: 10_000 };
