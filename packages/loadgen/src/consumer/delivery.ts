/**
 * Handing a batch to measurement: every user record of every item, stamped with the delivery time,
 * right before the invocation that carries it.
 *
 * Invariant: an item's first delivery has `redelivery: false`; each later one (a retry, the rest of
 * a partially failed batch, a bisected half) has `redelivery: true`, so the recorder counts it
 * without measuring its latency again.
 */
import type { BatchItem } from './batch-item.js';

/** A user record as measurement sees it. */
export interface ConsumedRecord {
  data: Uint8Array;
  partitionKey: string;
  shardId: string;
  sequenceNumber: string;
  subSequenceNumber?: number;
  /** approximateArrivalTimestamp, µs (ms resolution). */
  arrivalUs: number;
  /** When the batch carrying it was handed to the handler, µs. */
  receivedUs: number;
  redelivery: boolean;
}

export function createDelivery(
  now: () => number,
  onRecords: ((records: ConsumedRecord[]) => void) | undefined,
): (items: readonly BatchItem[]) => void {
  return (items) => {
    const receivedUs = now();
    const out: ConsumedRecord[] = [];
    for (const item of items) {
      for (const u of item.userRecords) {
        const r: ConsumedRecord = {
          data: u.data,
          partitionKey: u.partitionKey,
          shardId: item.shardId,
          sequenceNumber: item.sequenceNumber,
          arrivalUs: item.arrivalMs * 1000,
          receivedUs,
          redelivery: item.deliveries > 0,
        };
        if (u.subSequenceNumber !== undefined) r.subSequenceNumber = u.subSequenceNumber;
        out.push(r);
      }
      item.deliveries++;
    }
    onRecords?.(out);
  };
}
