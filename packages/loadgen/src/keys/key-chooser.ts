/**
 * Chooses the key (an entity index in [0, keys)) of each record from the scenario's distribution.
 *
 * Invariants: deterministic for a given seed; O(1) per draw after setup; `none` yields
 * `undefined` so the record is sent without a partition key. Hotspot follows YCSB's
 * `HotspotIntegerGenerator`: with `hotFraction` 0.2 and `hotTrafficFraction` 0.8 over 1,000 keys,
 * keys 0–199 share 80% of records (0.4% each) and keys 200–999 share 20% (0.025% each).
 */
import { randomInt, type Random } from '../random.js';
import type { KeyDistribution } from '../scenario/key-distribution-schema.js';
import { createZipfSampler } from './zipf.js';

/** Draws the next key index, or `undefined` for keyless records. */
export type KeyChooser = () => number | undefined;

export function createKeyChooser(distribution: KeyDistribution, random: Random): KeyChooser {
  switch (distribution.kind) {
    case 'none':
      return () => undefined;
    case 'uniform': {
      const { keys } = distribution;
      return () => randomInt(random, keys);
    }
    case 'roundRobin': {
      const { keys } = distribution;
      let next = 0;
      return () => {
        const key = next;
        next = next + 1 === keys ? 0 : next + 1;
        return key;
      };
    }
    case 'zipf':
      return createZipfSampler(distribution.keys, distribution.exponent, random);
    case 'hotspot': {
      const { keys, hotFraction, hotTrafficFraction } = distribution;
      const hotKeys = Math.min(keys, Math.max(1, Math.floor(keys * hotFraction)));
      const coldKeys = keys - hotKeys;
      return () => {
        if (coldKeys === 0 || random() < hotTrafficFraction) return randomInt(random, hotKeys);
        return hotKeys + randomInt(random, coldKeys);
      };
    }
  }
}

/** How many distinct keys the distribution draws from (0 for keyless). */
export function keyCount(distribution: KeyDistribution): number {
  return distribution.kind === 'none' ? 0 : distribution.keys;
}
