/**
 * One clickstream event and its two renderings: the body object (`eventObject`, for the object
 * path: tests, and a partition key field other than `userId`) and the record's bytes
 * (`writeEvent`, the byte path a run takes), written member by member into the record's slab with
 * no event object and no string but the user id, which is also the record's partition key.
 *
 * Why a second rendering: building the object, its two UUID strings and the user id, then walking
 * it with `for…in` to write its bytes cost ~3 µs and ~500 bytes of young-generation garbage per
 * record, most of the sending half's cost at 100,000 records/s.
 *
 * Invariant: for the same event, `writeEvent` writes exactly the bytes `JsonBytesWriter.members`
 * writes for `eventObject`'s result: the same members in the same order, the same numbers and
 * strings. The generator (clickstream.ts) fills one `ClickEvent` per record (reused), so its
 * draws and state machine exist once and both renderings read the same fields.
 */
import type { JsonBytesWriter } from '../json-bytes.js';
import { EVENT_TYPES, EventCode } from './clickstream-sessions.js';
import { COUNTRIES, createEntityIds, DEVICES, isoFromUs, uuidFromWords, writeUuid } from './sampling.js';

export const PAGES = ['/', '/search', '/category/shoes', '/category/books', '/category/garden', '/deals', '/product', '/cart', '/help'] as const;
export const ELEMENTS = ['nav-link', 'product-card', 'banner', 'filter', 'pagination', 'recommendation'] as const;
export const REFERRERS = ['direct', 'google', 'newsletter', 'social', 'partner'] as const;

/** The fields of one event, as numbers: indexes into the word lists, UUIDs as four int32 words. */
export class ClickEvent {
  /** `EventCode` of the event. */
  code: number = EventCode.page_view;
  userIndex = 0;
  /** Intended send time, µs since the epoch (the event's `ts`). */
  intendedAtUs = 0;
  /** The event's and its session's UUID, four words each (sampling.ts `uuidWord`). */
  readonly eventId = new Int32Array(4);
  readonly sessionId = new Int32Array(4);
  eventIndex = 0;
  msSincePrevious = 0;
  /** Indexes into DEVICES and COUNTRIES. */
  device = 0;
  country = 0;
  /** page_view, click, exit: index into PAGES. */
  page = 0;
  /** page_view: index into REFERRERS, or REFERRERS.length + the PAGES index of the previous page. */
  referrer = 0;
  /** click: index into ELEMENTS. */
  element = 0;
  /** add_to_cart: `sku-<productNumber>`. */
  productNumber = 0;
  quantity = 0;
  priceCents = 0;
  /** add_to_cart and checkout. */
  cartItems = 0;
  /** checkout. */
  totalCents = 0;
  readonly orderId = new Int32Array(4);
}

/** `user-000042` by user index (the hottest users' ids are made once). */
const userId = createEntityIds('user');

/** The referrer of a page view: REFERRERS, then PAGES (a page view after another page). */
const REFERRER_VALUES: readonly string[] = [...REFERRERS, ...PAGES];

const uuidOf = (words: Int32Array): string => uuidFromWords(words[0] as number, words[1] as number, words[2] as number, words[3] as number);

/** The event as the body object of a record. */
export function eventObject(e: ClickEvent): Record<string, unknown> {
  const event: Record<string, unknown> = {
    eventId: uuidOf(e.eventId),
    eventType: EVENT_TYPES[e.code],
    ts: isoFromUs(e.intendedAtUs),
    userId: userId(e.userIndex),
    sessionId: uuidOf(e.sessionId),
    eventIndex: e.eventIndex,
    msSincePrevious: e.msSincePrevious,
    device: DEVICES[e.device],
    country: COUNTRIES[e.country],
  };
  if (e.code === EventCode.page_view) {
    event['page'] = PAGES[e.page];
    event['referrer'] = REFERRER_VALUES[e.referrer];
  } else if (e.code === EventCode.click) {
    event['page'] = PAGES[e.page];
    event['element'] = ELEMENTS[e.element];
  } else if (e.code === EventCode.add_to_cart) {
    event['productId'] = `sku-${e.productNumber}`;
    event['quantity'] = e.quantity;
    event['priceCents'] = e.priceCents;
    event['cartItems'] = e.cartItems;
  } else if (e.code === EventCode.checkout) {
    event['orderId'] = uuidOf(e.orderId);
    event['cartItems'] = e.cartItems;
    event['totalCents'] = e.totalCents;
  } else {
    event['page'] = PAGES[e.page];
  }
  return event;
}

const encoder = new TextEncoder();
/** `,"name":` */
const key = (name: string): Uint8Array => encoder.encode(`,${JSON.stringify(name)}:`);
/** `,"name":"value"` for each value of a word list. */
const members = (name: string, values: readonly string[]): Uint8Array[] => values.map((value) => encoder.encode(`,${JSON.stringify(name)}:${JSON.stringify(value)}`));

const EVENT_ID = key('eventId');
/** `,"eventType":"…","ts":` by event code. */
const TYPE_THEN_TS = EVENT_TYPES.map((type) => encoder.encode(`,"eventType":${JSON.stringify(type)},"ts":`));
const USER_ID = key('userId');
const SESSION_ID = key('sessionId');
const EVENT_INDEX = key('eventIndex');
const MS_SINCE_PREVIOUS = key('msSincePrevious');
const DEVICE_MEMBERS = members('device', DEVICES);
const COUNTRY_MEMBERS = members('country', COUNTRIES);
const PAGE_MEMBERS = members('page', PAGES);
const REFERRER_MEMBERS = members('referrer', REFERRER_VALUES);
const ELEMENT_MEMBERS = members('element', ELEMENTS);
const PRODUCT_ID = encoder.encode(',"productId":"sku-');
const QUANTITY = encoder.encode('","quantity":');
const PRICE_CENTS = key('priceCents');
const CART_ITEMS = key('cartItems');
const ORDER_ID = key('orderId');
const TOTAL_CENTS = key('totalCents');

/** Writes the members `eventObject(e)` has, as `JsonBytesWriter.members` does; returns the user id. */
export function writeEvent(e: ClickEvent, out: JsonBytesWriter): string {
  const user = userId(e.userIndex);
  out.bytes(EVENT_ID);
  writeUuidWords(out, e.eventId);
  out.bytes(TYPE_THEN_TS[e.code] as Uint8Array);
  out.string(isoFromUs(e.intendedAtUs));
  out.bytes(USER_ID);
  out.string(user);
  out.bytes(SESSION_ID);
  writeUuidWords(out, e.sessionId);
  numberMember(out, EVENT_INDEX, e.eventIndex);
  numberMember(out, MS_SINCE_PREVIOUS, e.msSincePrevious);
  out.bytes(DEVICE_MEMBERS[e.device] as Uint8Array);
  out.bytes(COUNTRY_MEMBERS[e.country] as Uint8Array);
  if (e.code === EventCode.page_view) {
    out.bytes(PAGE_MEMBERS[e.page] as Uint8Array);
    out.bytes(REFERRER_MEMBERS[e.referrer] as Uint8Array);
  } else if (e.code === EventCode.click) {
    out.bytes(PAGE_MEMBERS[e.page] as Uint8Array);
    out.bytes(ELEMENT_MEMBERS[e.element] as Uint8Array);
  } else if (e.code === EventCode.add_to_cart) {
    // `sku-N` is a string of ASCII digits: written as the integer inside the quotes.
    out.bytes(PRODUCT_ID);
    out.integer(e.productNumber);
    out.bytes(QUANTITY);
    out.number(e.quantity);
    numberMember(out, PRICE_CENTS, e.priceCents);
    numberMember(out, CART_ITEMS, e.cartItems);
  } else if (e.code === EventCode.checkout) {
    out.bytes(ORDER_ID);
    writeUuidWords(out, e.orderId);
    numberMember(out, CART_ITEMS, e.cartItems);
    numberMember(out, TOTAL_CENTS, e.totalCents);
  } else {
    out.bytes(PAGE_MEMBERS[e.page] as Uint8Array);
  }
  return user;
}

/** `,"key":` then a number. */
function numberMember(out: JsonBytesWriter, key: Uint8Array, value: number): void {
  out.bytes(key);
  out.number(value);
}

function writeUuidWords(out: JsonBytesWriter, words: Int32Array): void {
  writeUuid(out, words[0] as number, words[1] as number, words[2] as number, words[3] as number);
}
