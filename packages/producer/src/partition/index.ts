/** Partitioning building blocks: balanced key hashing, keyless sticky/adaptive choice, hot keys, skew. */
export * from './hash-range.js';
export * from './balanced.js';
export * from './adaptive-choice.js';
export * from './keyless.js';
export * from './hot-keys.js';
export * from './load-skew.js';
