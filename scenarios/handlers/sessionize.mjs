/**
 * Clickstream consumer, written as a Lambda function for a Kinesis event source mapping: it
 * deaggregates KPL records (Lambda hands them over aggregated), groups events into user sessions
 * and closes a session at checkout or exit, as a sessionization step of a real pipeline would
 * before writing session rows to a store.
 *
 * Invariants: state lives at module scope, so it survives warm invocations like a Lambda
 * container's and is lost on a cold start; at most MAX_OPEN_SESSIONS are kept (the oldest are
 * evicted as abandoned), so memory stays bounded however many users arrive. A record that is not
 * JSON is counted and skipped rather than failed: retrying it would block the shard forever.
 */
import { deaggregate } from '@shardline/producer';

const MAX_OPEN_SESSIONS = 50_000;
/** Stop this long before the function timeout, so a partial batch can still be reported. */
const TIME_RESERVE_MS = 500;
const open = new Map();
const totals = { invocations: 0, events: 0, skipped: 0, sessionsClosed: 0, checkouts: 0, revenueCents: 0, evicted: 0 };

export const handler = async (event, context) => {
  totals.invocations++;
  for (const record of event.Records) {
    if (context.getRemainingTimeInMillis() < TIME_RESERVE_MS) {
      // Out of time: hand the rest back. With ReportBatchItemFailures, Lambda retries from here.
      return { batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }] };
    }
    for (const user of deaggregate(record)) {
      let click;
      try {
        click = JSON.parse(Buffer.from(user.data).toString('utf8'));
      } catch {
        totals.skipped++;
        continue;
      }
      if (typeof click?.sessionId !== 'string') {
        totals.skipped++;
        continue;
      }
      totals.events++;
      track(click);
    }
  }
  // Lambda ignores this unless ReportBatchItemFailures is on; an empty list means "all succeeded".
  return { batchItemFailures: [] };
};

function track(click) {
  let session = open.get(click.sessionId);
  if (session === undefined) {
    session = { userId: click.userId, startedAt: click.ts, pageViews: 0, clicks: 0, cartItems: 0, events: 0 };
    open.set(click.sessionId, session);
    if (open.size > MAX_OPEN_SESSIONS) {
      // Map iteration is insertion order: the first key is the longest-open session.
      open.delete(open.keys().next().value);
      totals.evicted++;
    }
  }
  session.events++;
  session.endedAt = click.ts;
  if (click.eventType === 'page_view') session.pageViews++;
  if (click.eventType === 'click') session.clicks++;
  if (click.eventType === 'add_to_cart') session.cartItems = click.cartItems ?? session.cartItems + 1;
  if (click.eventType === 'checkout' || click.eventType === 'exit') {
    totals.sessionsClosed++;
    if (click.eventType === 'checkout') {
      totals.checkouts++;
      totals.revenueCents += click.totalCents ?? 0;
    }
    open.delete(click.sessionId);
  }
}

/** What the function has seen so far in this container (for tests and curious readers). */
export const sessionStats = () => ({ ...totals, openSessions: open.size });
