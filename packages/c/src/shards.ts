/**
 * The shards of one analysis: the main thread's own, plus one per worker thread when the tree is
 * big enough to pay for them. Every question goes to all shards at once; the main thread answers
 * for its own shard while the workers answer for theirs, so reading, scanning and parsing use
 * every core. Only the built package has the worker script: from sources (tests) or with one job,
 * everything stays in the main thread, with the same results.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Shard } from './shard.js';

type Ops = Pick<Shard, 'load' | 'release' | 'adopt' | 'setMacros' | 'round' | 'defining' | 'declaring' | 'stats'>;
type Op = keyof Ops;

export interface ShardCall {
  id: number;
  op: Op;
  args: unknown[];
}

export type ShardReply = { id: number; result: unknown } | { id: number; error: string };

/** Below this many files a worker thread's start-up costs more than it saves. */
export const MIN_FILES_PER_WORKER = 400;

/**
 * How many shards: `jobs` when given (1 = main thread only); else one per core, at most two,
 * and only as many as the tree has files for.
 */
export function shardCount(files: number, jobs: number | undefined, cores = availableParallelism()): number {
  if (jobs !== undefined) return Math.max(1, Math.floor(jobs));
  return Math.max(1, Math.min(2, cores, Math.floor(files / MIN_FILES_PER_WORKER)));
}

class RemoteShard {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: ShardReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new Error(`C analysis worker: ${reply.error}`));
      else waiting.resolve(reply.result);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`C analysis worker exited (code ${code})`)));
  }

  call<K extends Op>(op: K, args: Parameters<Ops[K]>): Promise<ReturnType<Ops[K]>> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, args } satisfies ShardCall);
    });
  }

  private failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

const WORKER_SCRIPT = new URL('./shard-worker.js', import.meta.url);

/** A worker started before the files were known (see prepareShards), waiting to be used. */
let spare: Worker | null = null;

/**
 * Starts one worker thread ahead of the analysis (the CLI calls this before it walks the tree), so
 * its start-up overlaps the walk instead of the reading. It does not keep the process alive: if
 * no analysis comes, or the tree is small, it is dropped.
 */
export function prepareShards(jobs?: number, cores = availableParallelism()): void {
  if (spare || jobs === 1 || (jobs === undefined && cores < 2) || !existsSync(fileURLToPath(WORKER_SCRIPT))) return;
  spare = new Worker(WORKER_SCRIPT);
  spare.unref();
  spare.on('error', () => undefined); // an unused spare that fails is simply not used
}

function takeWorker(): Worker {
  const worker = spare ?? new Worker(WORKER_SCRIPT);
  spare = null;
  worker.removeAllListeners('error');
  worker.ref();
  return worker;
}

export class Shards {
  readonly local = new Shard();
  private readonly remote: RemoteShard[];

  constructor(count: number) {
    const workers = count > 1 && existsSync(fileURLToPath(WORKER_SCRIPT)) ? count - 1 : 0;
    this.remote = Array.from({ length: workers }, () => new RemoteShard(takeWorker()));
    if (workers === 0 && spare) {
      // a small tree after all: the thread started ahead is not needed
      void spare.terminate();
      spare = null;
    }
  }

  get size(): number {
    return this.remote.length + 1;
  }

  /**
   * Asks every shard (shard 0 is the main thread's); `args(i)` gives shard i's arguments. The
   * workers' messages are posted first, so they work while the main thread answers for shard 0.
   */
  async all<K extends Op>(op: K, args: (shard: number) => Parameters<Ops[K]>): Promise<Array<ReturnType<Ops[K]>>> {
    const remote = this.remote.map((r, i) => r.call(op, args(i + 1)));
    const method = this.local[op] as (...a: Parameters<Ops[K]>) => ReturnType<Ops[K]>;
    let own: ReturnType<Ops[K]>;
    try {
      own = method.apply(this.local, args(0));
    } catch (error) {
      await Promise.allSettled(remote);
      throw error;
    }
    return [own, ...(await Promise.all(remote))];
  }

  async close(): Promise<void> {
    await Promise.all(this.remote.map((r) => r.close()));
  }
}
