/** Worker thread body: one Shard, driven by the coordinator's messages (shards.ts). */
import { parentPort } from 'node:worker_threads';
import { Shard } from './shard.js';
import type { ShardCall, ShardReply } from './shards.js';

const shard = new Shard();

parentPort?.on('message', ({ id, op, args }: ShardCall) => {
  let reply: ShardReply;
  try {
    const method = shard[op] as (...a: unknown[]) => unknown;
    reply = { id, result: method.apply(shard, args) };
  } catch (error) {
    reply = { id, error: (error as Error)?.stack ?? String(error) };
  }
  parentPort!.postMessage(reply);
});
