// PGlite's replay store in this process's memory (replay-store.ts says why), outside V8's heap.
//
// It holds every push of the freshness window: at 3,300 pushes a second for five minutes, a million.
// Kept as a Map of strings (180 bytes of heap each), that was 180 MB the garbage collector marked
// again at every major collection, with as much again of heap grown between collections, and a
// Map that stopped the server's one thread for 290 ms when it doubled at a million entries. Here a
// slot is 57 bytes of typed arrays: the signature's 20 bytes (the key), the body's SHA-256 (32), the
// timestamp (4) and its state, in open-addressing tables the collector never looks into; with the
// tables between a third and seven tenths full, about 110 bytes a push (bench/replay-store-memory.ts).
//
// The signature is a SHA-1, so its bytes are evenly spread: the first picks one of SHARDS tables, the
// next four the slot. A table grows (or is rebuilt without its forgotten entries) by copying itself,
// a sixty-fourth of the store at a time. The query's nonce is not kept: it plays no part in the
// check (the signature stands for it), and the table it is saved to at a clean stop gets it empty.
import 'server-only';

/** A query as the store is asked about it (PushQuery in replay-store.ts). */
export interface StoreQuery {
  timestamp: string;
  signature: string;
  bodyHash: string;
  /** Not kept. */
  nonce?: string;
}

/** A remembered query as the table holds it: for loading the store and saving it. */
export interface RememberedQuery {
  signature: string;
  timestamp: number;
  nonce: string;
  bodyHash: string;
}

const SHARDS = 64;
const KEY_BYTES = 20;
const HASH_BYTES = 32;
const MIN_CAPACITY = 64;
/** Slots in use or forgotten, at most this share of a table; then it grows or is rebuilt. */
const MAX_LOAD = 0.7;
const EMPTY = 0;
const USED = 1;
/** A forgotten entry: a lookup goes on past it, as past any entry of another key. */
const FORGOTTEN = 2;

const SIGNATURE_HEX = /^[0-9a-f]{40}$/;
const SHA256_BASE64URL = /^[A-Za-z0-9_-]{43}$/;

export class MemoryReplayStore {
  private readonly shards = Array.from({ length: SHARDS }, () => new Shard(MIN_CAPACITY));
  // Scratch for the query being asked about: no allocation per push.
  private readonly key = Buffer.alloc(KEY_BYTES);
  private readonly hash = Buffer.alloc(HASH_BYTES);

  get size(): number {
    return this.shards.reduce((n, shard) => n + shard.used, 0);
  }

  /**
   * Records a push's query; false when the same query was seen with another body (a replay: the
   * caller must do nothing). The first body seen under a query is the one kept, as in the table.
   */
  admit(query: StoreQuery): boolean {
    this.read(query.signature, query.bodyHash);
    const shard = this.shardOfKey();
    const slot = shard.find(this.key);
    if (slot >= 0) return shard.hashEquals(slot, this.hash);
    shard.insert(this.key, this.hash, stampOf(Number(query.timestamp)));
    return true;
  }

  bodyHashOf(signature: string): string | undefined {
    this.readKey(signature);
    const shard = this.shardOfKey();
    const slot = shard.find(this.key);
    return slot < 0 ? undefined : shard.hashOf(slot).toString('base64url');
  }

  /** Forgets the queries whose timestamp is before `beforeSeconds`; how many. */
  forgetBefore(beforeSeconds: number): number {
    return this.shards.reduce((n, shard) => n + shard.forgetBefore(beforeSeconds), 0);
  }

  *entries(): IterableIterator<RememberedQuery> {
    for (const shard of this.shards) yield* shard.entries();
  }

  remember(query: RememberedQuery): void {
    this.read(query.signature, query.bodyHash);
    const shard = this.shardOfKey();
    if (shard.find(this.key) < 0) shard.insert(this.key, this.hash, stampOf(query.timestamp));
  }

  private read(signature: string, bodyHash: string): void {
    this.readKey(signature);
    if (!SHA256_BASE64URL.test(bodyHash)) throw new Error("a push's body hash is its SHA-256 in base64url");
    this.hash.write(bodyHash, 'base64url');
  }

  private readKey(signature: string): void {
    if (!SIGNATURE_HEX.test(signature)) throw new Error("a signed query's signature is 40 hex digits");
    this.key.write(signature, 'hex');
  }

  private shardOfKey(): Shard {
    return this.shards[this.key[0]! % SHARDS]!;
  }
}

/** One open-addressing table with linear probing; forgetting marks slots, growing rebuilds. */
class Shard {
  used = 0;
  private forgotten = 0;
  private mask!: number;
  private keys!: Uint8Array;
  private hashes!: Uint8Array;
  private stamps!: Uint32Array;
  private states!: Uint8Array;

  constructor(capacity: number) {
    this.allocate(capacity);
  }

  /** The slot holding `key`, or -1. */
  find(key: Uint8Array): number {
    for (let slot = startOf(key) & this.mask; ; slot = (slot + 1) & this.mask) {
      const state = this.states[slot];
      if (state === EMPTY) return -1;
      if (state === USED && this.keyEquals(slot, key)) return slot;
    }
  }

  insert(key: Uint8Array, hash: Uint8Array, timestamp: number): void {
    if (this.used + this.forgotten + 1 > MAX_LOAD * (this.mask + 1)) this.rebuild();
    let slot = startOf(key) & this.mask;
    // A forgotten slot is reused only if the key is not further on: find() ran first, so it is not.
    while (this.states[slot] === USED) slot = (slot + 1) & this.mask;
    if (this.states[slot] === FORGOTTEN) this.forgotten--;
    this.keys.set(key, slot * KEY_BYTES);
    this.hashes.set(hash, slot * HASH_BYTES);
    this.stamps[slot] = timestamp;
    this.states[slot] = USED;
    this.used++;
  }

  hashEquals(slot: number, hash: Uint8Array): boolean {
    return equalAt(this.hashes, slot * HASH_BYTES, hash);
  }

  hashOf(slot: number): Buffer {
    return Buffer.from(this.hashes.subarray(slot * HASH_BYTES, (slot + 1) * HASH_BYTES));
  }

  forgetBefore(beforeSeconds: number): number {
    let n = 0;
    for (let slot = 0; slot <= this.mask; slot++) {
      if (this.states[slot] === USED && this.stamps[slot]! < beforeSeconds) {
        this.states[slot] = FORGOTTEN;
        n++;
      }
    }
    this.used -= n;
    this.forgotten += n;
    return n;
  }

  *entries(): IterableIterator<RememberedQuery> {
    for (let slot = 0; slot <= this.mask; slot++) {
      if (this.states[slot] !== USED) continue;
      yield {
        signature: Buffer.from(this.keys.subarray(slot * KEY_BYTES, (slot + 1) * KEY_BYTES)).toString('hex'),
        timestamp: this.stamps[slot]!,
        nonce: '',
        bodyHash: this.hashOf(slot).toString('base64url'),
      };
    }
  }

  private keyEquals(slot: number, key: Uint8Array): boolean {
    return equalAt(this.keys, slot * KEY_BYTES, key);
  }

  /** Empty arrays for `capacity` slots (a power of two). */
  private allocate(capacity: number): void {
    this.mask = capacity - 1;
    this.keys = new Uint8Array(capacity * KEY_BYTES);
    this.hashes = new Uint8Array(capacity * HASH_BYTES);
    this.stamps = new Uint32Array(capacity);
    this.states = new Uint8Array(capacity);
  }

  /** Copies the entries in use into tables with room for as many again, leaving the forgotten ones out. */
  private rebuild(): void {
    let capacity = MIN_CAPACITY;
    while (this.used > (MAX_LOAD / 2) * capacity) capacity *= 2;
    const old = { mask: this.mask, keys: this.keys, hashes: this.hashes, stamps: this.stamps, states: this.states };
    this.allocate(capacity);
    this.used = 0;
    this.forgotten = 0;
    for (let slot = 0; slot <= old.mask; slot++) {
      if (old.states[slot] !== USED) continue;
      this.insert(
        old.keys.subarray(slot * KEY_BYTES, (slot + 1) * KEY_BYTES),
        old.hashes.subarray(slot * HASH_BYTES, (slot + 1) * HASH_BYTES),
        old.stamps[slot]!,
      );
    }
  }
}

/** A timestamp as a slot keeps it (32 bits, until 2106): the freshness check has admitted only ones near now. */
function stampOf(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffffffff) throw new Error(`a push's timestamp is whole seconds since 1970, not ${seconds}`);
  return seconds;
}

/** Whether `bytes` holds `other` from `at` on. */
function equalAt(bytes: Uint8Array, at: number, other: Uint8Array): boolean {
  for (let i = 0; i < other.length; i++) if (bytes[at + i] !== other[i]) return false;
  return true;
}

/** Where a key's probe starts: its bytes 1–4 (byte 0 chose the shard). */
function startOf(key: Uint8Array): number {
  return ((key[1]! << 24) | (key[2]! << 16) | (key[3]! << 8) | key[4]!) >>> 0;
}
