/**
 * Clickstream sessions as a state machine, one per user: page views, clicks, add-to-cart and
 * checkout, with transition probabilities and the gap since the user's previous event.
 *
 * Invariants: a user's events are ordered and consistent (checkout only after add-to-cart; the
 * cart total is the sum of what was added); a session ends at checkout, on `exit`, or after
 * `sessionTimeoutMs` without an event (Google Analytics' 30-minute rule), and the next event
 * opens a new session with a landing page view. State is kept per user, so memory is bounded by
 * the key count (about 150 bytes × 100,000 users ≈ 15 MB). A user's session object is reused for
 * the user's next session (only the session id string is new), so the ~10,000 sessions per second
 * that open at 100,000 records/s allocate nothing the garbage collector has to promote and later
 * sweep from the old generation.
 *
 * Transitions (probabilities out of each state; the rest of the mass is `exit`):
 *   page_view   → page_view 0.45, click 0.35, add_to_cart 0.12        (exit 0.08)
 *   click       → page_view 0.50, click 0.25, add_to_cart 0.15        (exit 0.10)
 *   add_to_cart → page_view 0.35, click 0.15, add_to_cart 0.10, checkout `checkoutProbability` 0.30
 *   checkout    → session ends
 * Worked number: from a landing page a session reaches checkout ~4% of the time — a plausible
 * e-commerce conversion rate.
 */
import type { Random } from '../random.js';
import type { BuiltInGenerator, GeneratorInit, RecordContext, RecordGenerator } from './generator.js';
import { COUNTRIES, DEVICES, entityId, intBetween, isoFromUs, numberOption, pick, pickWeighted, uuid } from './sampling.js';

type EventType = 'page_view' | 'click' | 'add_to_cart' | 'checkout' | 'exit';

const PAGES = ['/', '/search', '/category/shoes', '/category/books', '/category/garden', '/deals', '/product', '/cart', '/help'] as const;
const ELEMENTS = ['nav-link', 'product-card', 'banner', 'filter', 'pagination', 'recommendation'] as const;
const REFERRERS = ['direct', 'google', 'newsletter', 'social', 'partner'] as const;

interface Session {
  userId: string;
  sessionId: string;
  state: EventType;
  eventIndex: number;
  lastEventUs: number;
  cartItems: number;
  cartTotalCents: number;
  device: string;
  country: string;
  page: string;
}

type Transitions = Record<EventType, readonly (readonly [EventType, number])[]>;

/** The transition table, built once per generator (not per event: no allocation on the hot path). */
function transitionTable(checkoutProbability: number): Transitions {
  return {
    page_view: [['page_view', 0.45], ['click', 0.35], ['add_to_cart', 0.12], ['exit', 0.08]],
    click: [['page_view', 0.5], ['click', 0.25], ['add_to_cart', 0.15], ['exit', 0.1]],
    add_to_cart: [['page_view', 0.35], ['click', 0.15], ['add_to_cart', 0.1], ['checkout', checkoutProbability], ['exit', 0.1]],
    checkout: [['exit', 1]],
    exit: [['exit', 1]],
  };
}

export function createClickstreamGenerator({ random, options, keys }: GeneratorInit): RecordGenerator {
  const sessionTimeoutUs = numberOption(options, 'sessionTimeoutMs', 30 * 60_000) * 1000;
  const transitions = transitionTable(numberOption(options, 'checkoutProbability', 0.3, 0, 1));
  const users = keys > 0 ? keys : numberOption(options, 'users', 10_000, 1);
  const sessions = new Map<number, Session>();

  /** Starts the user's next session, in place when the user had one (same draws either way); a new one is kept. */
  function openSession(session: Session | undefined, userIndex: number, nowUs: number): Session {
    const sessionId = uuid(random);
    const device = pick(random, DEVICES);
    const country = pick(random, COUNTRIES);
    if (session === undefined) {
      const created: Session = { userId: entityId('user', userIndex), sessionId, state: 'exit', eventIndex: 0, lastEventUs: nowUs, cartItems: 0, cartTotalCents: 0, device, country, page: '/' };
      sessions.set(userIndex, created);
      return created;
    }
    session.sessionId = sessionId;
    session.state = 'exit';
    session.eventIndex = 0;
    session.lastEventUs = nowUs;
    session.cartItems = 0;
    session.cartTotalCents = 0;
    session.device = device;
    session.country = country;
    session.page = '/';
    return session;
  }

  return {
    next({ keyIndex, intendedAtUs }: RecordContext) {
      const userIndex = keyIndex ?? Math.floor(random() * users);
      let session = sessions.get(userIndex);
      const gapUs = session === undefined ? 0 : intendedAtUs - session.lastEventUs;
      let type: EventType;
      if (session === undefined || session.state === 'exit' || session.state === 'checkout' || gapUs > sessionTimeoutUs) {
        session = openSession(session, userIndex, intendedAtUs);
        type = 'page_view';
      } else {
        type = pickWeighted(random, transitions[session.state]);
        if (type === 'checkout' && session.cartItems === 0) type = 'page_view';
      }
      const event = describe(random, session, type, gapUs, intendedAtUs);
      session.state = type;
      session.eventIndex += 1;
      session.lastEventUs = intendedAtUs;
      return event;
    },
  };
}

function describe(random: Random, session: Session, type: EventType, gapUs: number, nowUs: number): Record<string, unknown> {
  const event: Record<string, unknown> = {
    eventId: uuid(random),
    eventType: type,
    ts: isoFromUs(nowUs),
    userId: session.userId,
    sessionId: session.sessionId,
    eventIndex: session.eventIndex,
    msSincePrevious: Math.round(gapUs / 1000),
    device: session.device,
    country: session.country,
  };
  if (type === 'page_view') {
    const referrer = session.eventIndex === 0 ? pick(random, REFERRERS) : session.page;
    session.page = session.eventIndex === 0 ? '/' : pick(random, PAGES);
    event['page'] = session.page;
    event['referrer'] = referrer;
  } else if (type === 'click') {
    event['page'] = session.page;
    event['element'] = pick(random, ELEMENTS);
  } else if (type === 'add_to_cart') {
    const priceCents = intBetween(random, 299, 19_999);
    const quantity = intBetween(random, 1, 3);
    session.cartItems += quantity;
    session.cartTotalCents += priceCents * quantity;
    event['productId'] = `sku-${intBetween(random, 1, 5_000)}`;
    event['quantity'] = quantity;
    event['priceCents'] = priceCents;
    event['cartItems'] = session.cartItems;
  } else if (type === 'checkout') {
    event['orderId'] = uuid(random);
    event['cartItems'] = session.cartItems;
    event['totalCents'] = session.cartTotalCents;
  } else {
    event['page'] = session.page;
  }
  return event;
}

export const clickstream: BuiltInGenerator = { create: createClickstreamGenerator, keyField: 'userId', defaultKeys: 10_000 };
