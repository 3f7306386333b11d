export * from './aggregation/index.js';
