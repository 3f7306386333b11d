/**
 * E-commerce orders: one record per order, keyed by customer, with line items and a total that
 * is exactly the sum of the lines.
 *
 * Invariants: 1–5 lines per order (weighted toward 1–2, like real baskets); `totalCents` =
 * Σ quantity × unitPriceCents + shippingCents; each customer keeps a stable country and currency.
 */
import type { BuiltInGenerator, GeneratorInit, RecordContext, RecordGenerator } from './generator.js';
import { COUNTRIES, CURRENCIES, entityId, intBetween, isoFromUs, numberOption, pick, pickWeighted, uuid } from './sampling.js';

const PAYMENT = [['card', 0.7], ['paypal', 0.2], ['gift_card', 0.05], ['bank_transfer', 0.05]] as const;
const LINES = [[1, 0.45], [2, 0.3], [3, 0.15], [4, 0.06], [5, 0.04]] as const;
const SHIPPING = [['standard', 0.75], ['express', 0.2], ['pickup', 0.05]] as const;
const QUANTITY = [[1, 0.8], [2, 0.15], [3, 0.05]] as const;

export function createOrdersGenerator({ random, options, keys }: GeneratorInit): RecordGenerator {
  const customers = keys > 0 ? keys : numberOption(options, 'customers', 10_000, 1);
  const skuCount = numberOption(options, 'skus', 5_000, 1);
  const homes = new Map<number, { country: string; currency: string }>();
  return {
    next({ keyIndex, intendedAtUs }: RecordContext) {
      const index = keyIndex ?? Math.floor(random() * customers);
      let home = homes.get(index);
      if (home === undefined) {
        home = { country: pick(random, COUNTRIES), currency: pick(random, CURRENCIES) };
        homes.set(index, home);
      }
      const lineCount = pickWeighted(random, LINES);
      const items: { sku: string; quantity: number; unitPriceCents: number }[] = [];
      let subtotalCents = 0;
      for (let i = 0; i < lineCount; i++) {
        const quantity = pickWeighted(random, QUANTITY);
        const unitPriceCents = intBetween(random, 199, 49_999);
        subtotalCents += quantity * unitPriceCents;
        items.push({ sku: `sku-${intBetween(random, 1, skuCount)}`, quantity, unitPriceCents });
      }
      const shippingMethod = pickWeighted(random, SHIPPING);
      const shippingCents = shippingMethod === 'pickup' || subtotalCents > 5_000 ? 0 : shippingMethod === 'express' ? 1_499 : 499;
      return {
        orderId: uuid(random),
        customerId: entityId('customer', index),
        ts: isoFromUs(intendedAtUs),
        status: 'created',
        currency: home.currency,
        items,
        subtotalCents,
        shippingCents,
        totalCents: subtotalCents + shippingCents,
        payment: { method: pickWeighted(random, PAYMENT) },
        shipping: { method: shippingMethod, country: home.country },
      };
    },
  };
}

export const orders: BuiltInGenerator = { create: createOrdersGenerator, keyField: 'customerId', defaultKeys: 10_000 };
