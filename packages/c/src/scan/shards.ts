/**
 * The shards of one analysis: the main thread's own, which reads every file, plus worker threads
 * that join when there is enough parsing to share (see analyze.ts). Every question goes to all
 * shards at once; the main thread answers for its own shard while the workers answer for theirs.
 * Only the built package has the worker script: from sources (tests), everything stays in the
 * main thread, with the same results.
 *
 * Measured on the 2-vCPU machines this project targets, reading and scanning 45 MB (PostgreSQL)
 * does not get faster with a second thread (it is bound by memory, not by computation), and
 * neither do a dozen parses, each thread warming up its own compiled code: a worker only pays
 * off when there are megabytes to parse (the C corpus: 4.9 s with two threads, 5.7 s with one).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Shard } from './shard.js';

// what a worker's shard is asked (it never reads: the main thread's shard reads every file)
type Ops = Pick<Shard, 'copies' | 'adopt' | 'select' | 'parseClaimed' | 'setMacros' | 'defining' | 'declaring' | 'stats'>;
type Op = keyof Ops;

export interface ShardCall {
  id: number;
  op: Op;
  args: unknown[];
}

export type ShardReply = { id: number; result: unknown } | { id: number; error: string };

/**
 * How many threads may share the parsing: `jobs` when given (1 = main thread only), else one per
 * core, at most two.
 */
export function threadLimit(jobs: number | undefined, cores = availableParallelism()): number {
  if (jobs !== undefined) return Math.max(1, Math.floor(jobs));
  return Math.max(1, Math.min(2, cores));
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

export class Shards {
  readonly local = new Shard();
  private readonly remote: RemoteShard[] = [];

  /** Starts workers until there are `count` shards in all (never more than the worker script allows). */
  grow(count: number): void {
    if (this.size >= count || !existsSync(fileURLToPath(WORKER_SCRIPT))) return;
    while (this.size < count) this.remote.push(new RemoteShard(new Worker(WORKER_SCRIPT)));
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

  /** Asks the worker shards only (shard i + 1's arguments are `args(i + 1)`). */
  async workers<K extends Op>(op: K, args: (shard: number) => Parameters<Ops[K]>): Promise<Array<ReturnType<Ops[K]>>> {
    return Promise.all(this.remote.map((r, i) => r.call(op, args(i + 1))));
  }

  async close(): Promise<void> {
    await Promise.all(this.remote.map((r) => r.close()));
  }
}
