/**
 * Throughput through local-kinesis against bare kinesalite, measured in the same run.
 *
 *   npx tsx packages/local-kinesis/bench/throughput.bench.ts
 *
 * Modes: `kinesalite` (baseline: kinesalite's own http server on its own port), `proxy` (a bare
 * forwarding server, no parsing, in front of kinesalite on a second loopback port: the least any
 * proxy design could cost, against which the in-process design of local-kinesis is chosen), `off`
 * (local-kinesis, limits off: parse, route and count only), `metered` (limits on at 1,000× AWS, so
 * every bucket is checked but none binds: the full cost of the limits layer), `aws` (AWS limits:
 * the accepted rate is capped at shards × 1,000 records/s or 1 MiB/s, plus the 1,000 ms burst
 * spread over the cell). Each cell keeps `IN_FLIGHT` PutRecords requests open for `CELL_MS`, with
 * bodies encoded once up front so the client costs little. All four servers run side by side and
 * every cell runs the four modes back to back, in an order that rotates per round, so a burst of
 * load from elsewhere on a shared machine hits all modes alike; the median of `ROUNDS` is reported.
 * Wall-clock rates swing with other processes' load; CPU µs per record (this process: client and
 * server alike, the client part identical in every mode) is the steadier measure of overhead.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLocalKinesis, type LocalKinesis } from '../src/index.js';

const require = createRequire(import.meta.url);
const kinesalite = require('kinesalite') as (options: object) => Server;

const CELL_MS = 1000;
const ROUNDS = 5;
const IN_FLIGHT = 4;
const MiB = 1024 * 1024;

type Mode = 'kinesalite' | 'proxy' | 'off' | 'metered' | 'aws';
const MODES: readonly Mode[] = ['kinesalite', 'proxy', 'off', 'metered', 'aws'];
const CELLS = [
  { shards: 1, recordBytes: 100, perRequest: 500 },
  { shards: 4, recordBytes: 100, perRequest: 500 },
  { shards: 1, recordBytes: 25_000, perRequest: 40 },
  { shards: 4, recordBytes: 25_000, perRequest: 40 },
] as const;

interface Target {
  endpoint: string;
  createStream(name: string, shards: number): Promise<void>;
  stop(): Promise<void>;
}

const HEADERS = (operation: string): Record<string, string> => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': `Kinesis_20131202.${operation}`,
  'x-amz-date': '20260101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
});

async function call(endpoint: string, operation: string, body: string | Buffer): Promise<Record<string, unknown>> {
  const response = await fetch(endpoint, { method: 'POST', headers: HEADERS(operation), body });
  const text = await response.text();
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function createStreamOver(endpoint: string, name: string, shards: number): Promise<void> {
  await call(endpoint, 'CreateStream', JSON.stringify({ StreamName: name, ShardCount: shards }));
  for (;;) {
    const summary = await call(endpoint, 'DescribeStreamSummary', JSON.stringify({ StreamName: name }));
    if ((summary['StreamDescriptionSummary'] as { StreamStatus: string }).StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Forwards each request, body and headers unchanged, to `upstreamPort` over keep-alive sockets,
 * retrying once when a reused socket turns out closed (the keep-alive race any proxy must handle).
 */
function forwardingServer(upstreamPort: number): Server {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, retries: number): void => {
    const upstream = request(
      { host: '127.0.0.1', port: upstreamPort, method: 'POST', path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => (retries > 0 ? forward(req, res, body, retries - 1) : res.writeHead(502).end()));
    upstream.end(body);
  };
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), 1));
  });
}

async function startTarget(mode: Mode): Promise<Target> {
  if (mode === 'kinesalite' || mode === 'proxy') {
    const server = kinesalite({ createStreamMs: 10, shardLimit: 1000 });
    const direct = await listen(server);
    const proxy = mode === 'proxy' ? forwardingServer((server.address() as AddressInfo).port) : undefined;
    const endpoint = proxy === undefined ? direct : await listen(proxy);
    return {
      endpoint,
      createStream: (name, shards) => createStreamOver(endpoint, name, shards),
      async stop() {
        if (proxy !== undefined) {
          proxy.closeAllConnections();
          await new Promise((resolve) => proxy.close(resolve));
        }
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }
  const limits =
    mode === 'off'
      ? ('off' as const)
      : mode === 'aws'
        ? ('aws' as const)
        : { writeRecordsPerSec: 1e6, writeBytesPerSec: 1e3 * MiB, readCallsPerSec: 5e3, readBytesPerSec: 2e3 * MiB };
  const local: LocalKinesis = await startLocalKinesis({ limits });
  return {
    endpoint: local.endpoint,
    createStream: (name, shards) => local.createStream({ name, shardCount: shards }),
    stop: () => local.stop(),
  };
}

function body(streamName: string, count: number, recordBytes: number): string {
  const data = randomBytes(recordBytes).toString('base64');
  const records = Array.from({ length: count }, () => ({ PartitionKey: randomBytes(8).toString('hex'), Data: data }));
  return JSON.stringify({ StreamName: streamName, Records: records });
}

interface CellResult {
  /** Process CPU (client + server, same for every mode) per record offered, in µs. */
  cpuUsPerRecord: number;
  recordsPerSec: number;
  mbPerSec: number;
  throttledShare: number;
}

async function runCell(target: Target, cell: (typeof CELLS)[number], stream: string): Promise<CellResult> {
  await target.createStream(stream, cell.shards);
  const bodies = Array.from({ length: 8 }, () => body(stream, cell.perRequest, cell.recordBytes));
  let accepted = 0;
  let throttled = 0;
  const deadline = performance.now() + CELL_MS;
  const startMs = performance.now();
  const cpuStart = process.cpuUsage();
  const worker = async (offset: number): Promise<void> => {
    for (let index = offset; performance.now() < deadline; index += IN_FLIGHT) {
      const answer = await call(target.endpoint, 'PutRecords', bodies[index % bodies.length] as string);
      const failed = Number(answer['FailedRecordCount'] ?? cell.perRequest);
      accepted += cell.perRequest - failed;
      throttled += failed;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, offset) => worker(offset)));
  const seconds = (performance.now() - startMs) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return {
    cpuUsPerRecord: (cpu.user + cpu.system) / Math.max(1, accepted + throttled),
    recordsPerSec: accepted / seconds,
    mbPerSec: (accepted * (cell.recordBytes + 16)) / seconds / 1e6,
    throttledShare: throttled / Math.max(1, accepted + throttled),
  };
}

const targets = new Map<Mode, Target>();
for (const mode of MODES) targets.set(mode, await startTarget(mode));
const results = new Map<string, CellResult[]>();
let streamIndex = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const cell of CELLS) {
    for (let turn = 0; turn < MODES.length; turn++) {
      const mode = MODES[(turn + round) % MODES.length] as Mode;
      const result = await runCell(targets.get(mode) as Target, cell, `bench-${streamIndex++}`);
      const key = `${mode}|${cell.shards}|${cell.recordBytes}`;
      results.set(key, [...(results.get(key) ?? []), result]);
    }
  }
}
for (const target of targets.values()) await target.stop();

function median(key: string): CellResult {
  const sorted = [...(results.get(key) ?? [])].sort((a, b) => a.recordsPerSec - b.recordsPerSec);
  return sorted[Math.floor(sorted.length / 2)] as CellResult;
}

console.log(`PutRecords, ${IN_FLIGHT} requests in flight, median of ${ROUNDS} × ${CELL_MS} ms per cell`);
console.log('shards  record  mode        records/s     MB/s   vs kinesalite  throttled  CPU µs/record  CPU vs kinesalite');
for (const cell of CELLS) {
  const baseline = median(`kinesalite|${cell.shards}|${cell.recordBytes}`);
  for (const mode of MODES) {
    const result = median(`${mode}|${cell.shards}|${cell.recordBytes}`);
    const ratio = result.recordsPerSec / baseline.recordsPerSec;
    console.log(
      [
        String(cell.shards).padStart(6),
        `${cell.recordBytes >= 1000 ? `${cell.recordBytes / 1000} KB` : `${cell.recordBytes} B`}`.padStart(7),
        ` ${mode.padEnd(10)}`,
        result.recordsPerSec.toFixed(0).padStart(10),
        result.mbPerSec.toFixed(2).padStart(8),
        `${ratio.toFixed(2)}×`.padStart(14),
        `${(result.throttledShare * 100).toFixed(0)}%`.padStart(10),
        result.cpuUsPerRecord.toFixed(1).padStart(14),
        `${(result.cpuUsPerRecord / baseline.cpuUsPerRecord).toFixed(2)}×`.padStart(18),
      ].join(' '),
    );
  }
}
