import { createHash } from "node:crypto";
import { CompactSign, type CryptoKey, compactVerify, importJWK, type JWK } from "jose";

/**
 * Each data owner's audit log: every release, denial and change of non-public
 * data, append-only (a trigger refuses UPDATE and DELETE) and hash-chained —
 * each entry's hash covers the previous one, so a changed or missing row
 * breaks the chain from there on. Checkpoints sign the chain head with the
 * owner's own key, so even a rewrite of the whole chain shows against a
 * checkpoint someone kept.
 */

export const GENESIS_HASH = "0".repeat(64);
export const AUDIT_ALG = "EdDSA";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type AuditAction = "READ" | "WRITE" | "OBJECTION" | "ANSWER" | "STATEMENT" | "PURGE";
export type AuditDecision = "RELEASED" | "DENIED" | "RECORDED";

/** What a caller of the log supplies; sequence, time and hashes are the log's. */
export interface AuditInput {
  requestId: string;
  ownerId: string | null;
  callerId: string | null;
  callerType: string | null;
  purpose: string | null;
  uscc: string | null;
  action: AuditAction;
  decision: AuditDecision;
  fields: string[];
  detail?: JsonObject;
}

/** An entry as stored. */
export interface AuditRow extends Omit<AuditInput, "detail" | "action" | "decision"> {
  action: string;
  decision: string;
  seq: bigint;
  at: Date;
  detail: unknown;
  prevHash: string;
  hash: string;
}

export interface CheckpointRow {
  seq: bigint;
  hash: string;
  at: Date;
  keyId: string;
  signature: string;
}

/** The slice of an owner's Prisma transaction client the log uses (every owner schema has the same models). */
export interface AuditTx {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  auditEntry: {
    findFirst(args: {
      orderBy: { seq: "desc" };
      select: { seq: true; hash: true };
    }): Promise<{ seq: bigint; hash: string } | null>;
  };
}

export interface AuditDb {
  /** A statement on its own (autocommit): a batch of reads is appended in one. */
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  auditEntry: {
    findMany(args: {
      where?: object;
      orderBy: { seq: "asc" | "desc" };
      take?: number;
      cursor?: { seq: bigint };
      skip?: number;
    }): Promise<AuditRow[]>;
    findFirst(args: {
      orderBy: { seq: "desc" };
      select: { seq: true; hash: true };
    }): Promise<{ seq: bigint; hash: string } | null>;
  };
  auditCheckpoint: {
    findMany(args: { where?: object; orderBy: { seq: "asc" }; take?: number }): Promise<CheckpointRow[]>;
    findFirst(args: { orderBy: { seq: "desc" } }): Promise<CheckpointRow | null>;
    create(args: { data: CheckpointRow }): Promise<CheckpointRow>;
  };
}

/** The exact bytes an entry's hash covers: fixed order, no room for two readings. */
export function canonicalEntry(row: Omit<AuditRow, "hash">): string {
  return JSON.stringify([
    row.seq.toString(),
    row.at.toISOString(),
    row.requestId,
    row.ownerId,
    row.callerId,
    row.callerType,
    row.purpose,
    row.uscc,
    row.action,
    row.decision,
    row.fields,
    sortedKeys(row.detail ?? null),
    row.prevHash,
  ]);
}

/** PostgreSQL's jsonb keeps its own key order, so the hash covers keys sorted, not as written. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
  );
}

export function entryHash(row: Omit<AuditRow, "hash">): string {
  return createHash("sha256").update(canonicalEntry(row)).digest("hex");
}

/** One lock per owner database: appends are short, and one at a time keeps the chain a line. */
const CHAIN_LOCK = 7_356_001;

/**
 * Takes the owner database's write-order lock until the transaction ends.
 * Whatever numbers rows under it (the audit chain, the change feed) gets them
 * in commit order: nobody can commit a later number before an earlier one.
 * Re-entrant within a transaction, and one lock for all, so no two orders deadlock.
 */
export async function lockWriteOrder(tx: Pick<AuditTx, "$executeRawUnsafe">): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
}

type Group = { entries: AuditInput[]; at: Date };
type ChainHead = { seq: bigint; hash: string };

const readHead = async (log: Pick<AuditTx, "auditEntry">): Promise<ChainHead> =>
  (await log.auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } })) ?? {
    seq: 0n,
    hash: GENESIS_HASH,
  };

/** The groups' entries as rows of the chain after `head`, in the order given, each group with its own time. */
function chainAfter(head: ChainHead, groups: Group[]): AuditRow[] {
  let { seq, hash: prevHash } = head;
  return groups.flatMap(({ entries, at }) =>
    entries.map((entry) => {
      seq += 1n;
      const row = { ...entry, detail: entry.detail ?? {}, seq, at, prevHash };
      prevHash = entryHash(row);
      return { ...row, hash: prevHash };
    }),
  );
}

/**
 * One statement and one parameter for a whole batch: Prisma's createMany mapped every field of every row in its
 * interpreter (a `standings` of 100 appends 100 entries per owner), most of an audited read's cost in a profile.
 */
const asParameter = (rows: AuditRow[]) => JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? String(v) : v));

/**
 * Appends entries inside the caller's transaction, so an audited change and
 * its audit entry commit together or not at all: one turn of the write-order
 * lock, one read of the chain's head and one insert.
 */
export async function appendAudit(tx: AuditTx, entries: AuditInput[], at: Date): Promise<void> {
  if (entries.length === 0) return;
  await lockWriteOrder(tx);
  await tx.$executeRawUnsafe(INSERT_ENTRIES, asParameter(chainAfter(await readHead(tx), [{ entries, at }])));
}

const ENTRY_COLUMNS = [
  ["seq", "bigint"],
  ["at", "timestamptz"],
  ["requestId", "text"],
  ["ownerId", "uuid"],
  ["callerId", "uuid"],
  ["callerType", "text"],
  ["purpose", "text"],
  ["uscc", "char(18)"],
  ["action", "text"],
  ["decision", "text"],
  ["fields", "text[]"],
  ["detail", "jsonb"],
  ["prevHash", "char(64)"],
  ["hash", "char(64)"],
] as const;
const COLUMN_LIST = ENTRY_COLUMNS.map(([c]) => `"${c}"`).join(", ");
const RECORDSET = `jsonb_to_recordset($1::jsonb) AS x(${ENTRY_COLUMNS.map(([c, type]) => `"${c}" ${type}`).join(", ")})`;
const INSERT_ENTRIES = `INSERT INTO "AuditEntry" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM ${RECORDSET}`;
/**
 * A batch of reads appended on its own, as one statement: the write-order lock is taken inside it (and held to its
 * commit), so a write transaction that holds the lock is waited for and one that comes later sees these entries.
 */
const APPEND_ALONE = `WITH turn AS MATERIALIZED (SELECT pg_advisory_xact_lock(${CHAIN_LOCK}))
  INSERT INTO "AuditEntry" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM turn, ${RECORDSET}`;

/** How often a batch is re-chained after other writers moved the head under it, before its reads are refused. */
const APPEND_ATTEMPTS = 5;

/**
 * Records reads, each before its answer leaves the subgraph: a caller's
 * promise settles only once its entries are committed. Reads that arrive
 * while a commit is under way wait for the next one and go in together (group
 * commit), as one statement: where a transaction with its lock, head read and
 * insert was five statements per batch and most of an audited read's work.
 *
 * The statement cannot read the head itself (its snapshot is older than the
 * lock it waits for), so the recorder chains the batch onto the head it last
 * wrote or read. When another writer has appended since (a write transaction,
 * another replica), the batch's first seq is taken and the primary key refuses
 * the whole statement: the recorder reads the head again and re-chains. A
 * failure with the head unmoved is a real one, and every read in the batch is
 * refused alike.
 */
export function accessRecorder(db: AuditDb): (entries: AuditInput[], at: Date) => Promise<AuditRow[]> {
  let waiting: (Group & { done: (rows: AuditRow[]) => void; failed: (error: unknown) => void })[] = [];
  let committing = false;
  let head: ChainHead | null = null;
  async function append(batch: Group[]): Promise<AuditRow[]> {
    for (let attempt = 1; ; attempt++) {
      head ??= await readHead(db);
      const rows = chainAfter(head, batch);
      const last = rows.at(-1);
      try {
        await db.$executeRawUnsafe(APPEND_ALONE, asParameter(rows));
        if (last) head = { seq: last.seq, hash: last.hash };
        return rows;
      } catch (error) {
        const assumed = head;
        head = await readHead(db).catch(() => null);
        // The statement committed though its answer was lost (the connection dropped): done, not to be appended twice.
        if (head && head.hash === last?.hash) return rows;
        if (attempt >= APPEND_ATTEMPTS || !head || head.seq === assumed.seq) throw error;
      }
    }
  }
  async function commitAll() {
    committing = true;
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      try {
        // The rows are chained in the batch's order: each read gets back its own, with their sequence and hash.
        const rows = await append(batch);
        let from = 0;
        for (const read of batch) {
          read.done(rows.slice(from, from + read.entries.length));
          from += read.entries.length;
        }
      } catch (error) {
        for (const read of batch) read.failed(error);
      }
    }
    committing = false;
  }
  return (entries, at) => {
    if (entries.length === 0) return Promise.resolve([]);
    return new Promise<AuditRow[]>((done, failed) => {
      waiting.push({ entries, at, done, failed });
      if (!committing) void commitAll();
    });
  };
}

export interface AuditSigner {
  keyId: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

interface CheckpointPayload {
  seq: string;
  hash: string;
  at: string;
}

/** Signs the current chain head, unless the newest checkpoint already covers it. */
export async function checkpoint(db: AuditDb, signer: AuditSigner, at: Date): Promise<CheckpointRow | null> {
  const head = await readHead(db);
  if (head.seq === 0n) return null;
  const last = await db.auditCheckpoint.findFirst({ orderBy: { seq: "desc" } });
  if (last && last.seq >= head.seq) return null;
  const payload: CheckpointPayload = { seq: head.seq.toString(), hash: head.hash, at: at.toISOString() };
  const signature = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: AUDIT_ALG, kid: signer.keyId })
    .sign(signer.privateKey);
  return db.auditCheckpoint.create({ data: { seq: head.seq, hash: head.hash, at, keyId: signer.keyId, signature } });
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** The first thing wrong, in chain order. */
  problem?: { seq: string; reason: string };
}

/**
 * Checks a whole chain: every hash, every link, no gaps, and every checkpoint
 * (signature by the owner's key, and the entry it names still has that hash).
 * Checkpoints may come from the database or from a copy someone kept.
 */
export async function verifyAudit(
  rows: AsyncIterable<AuditRow> | Iterable<AuditRow>,
  checkpoints: Pick<CheckpointRow, "seq" | "hash" | "signature">[],
  publicJwk: JWK,
): Promise<VerifyResult> {
  const key = (await importJWK({ ...publicJwk, alg: AUDIT_ALG }, AUDIT_ALG)) as CryptoKey;
  const expected = new Map<string, string>();
  for (const cp of checkpoints) {
    let payload: CheckpointPayload;
    try {
      payload = JSON.parse(
        new TextDecoder().decode((await compactVerify(cp.signature, key)).payload),
      ) as CheckpointPayload;
    } catch {
      return {
        ok: false,
        entries: 0,
        checkpoints: checkpoints.length,
        problem: { seq: cp.seq.toString(), reason: "checkpoint signature is not the owner's" },
      };
    }
    if (payload.seq !== cp.seq.toString() || payload.hash !== cp.hash)
      return {
        ok: false,
        entries: 0,
        checkpoints: checkpoints.length,
        problem: { seq: cp.seq.toString(), reason: "checkpoint does not match what it signed" },
      };
    expected.set(payload.seq, payload.hash);
  }
  let count = 0;
  let previous = { seq: 0n, hash: GENESIS_HASH };
  const fail = (seq: bigint, reason: string): VerifyResult => ({
    ok: false,
    entries: count,
    checkpoints: checkpoints.length,
    problem: { seq: seq.toString(), reason },
  });
  for await (const row of rows) {
    count += 1;
    if (row.seq !== previous.seq + 1n) return fail(previous.seq + 1n, `entry missing (next present is ${row.seq})`);
    if (row.prevHash !== previous.hash) return fail(row.seq, "does not link to the entry before it");
    const { hash, ...rest } = row;
    if (entryHash(rest) !== hash) return fail(row.seq, "content changed after it was written");
    const signed = expected.get(row.seq.toString());
    if (signed !== undefined && signed !== hash)
      return fail(row.seq, "differs from the signed checkpoint: the chain was rewritten");
    previous = { seq: row.seq, hash };
  }
  for (const seq of expected.keys())
    if (BigInt(seq) > previous.seq) return fail(BigInt(seq), "a checkpoint names an entry the chain no longer has");
  return { ok: true, entries: count, checkpoints: checkpoints.length };
}

/** Pages through an owner's whole log in order without holding it all in memory. */
export async function* auditRows(
  db: AuditDb,
  pageSize = 1000,
  onPage?: (read: number) => void,
): AsyncIterable<AuditRow> {
  let after: bigint | null = null;
  let read = 0;
  for (;;) {
    const page: AuditRow[] = await db.auditEntry.findMany({
      where: after === null ? {} : { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: pageSize,
    });
    yield* page;
    read += page.length;
    onPage?.(read);
    if (page.length < pageSize) return;
    after = (page.at(-1) as AuditRow).seq;
  }
}

/** Verifies an owner's log against its own checkpoints and any kept elsewhere; `onPage` hears how far it has read. */
export async function verifyOwnerAudit(
  db: AuditDb,
  publicJwk: JWK,
  keptCheckpoints: Pick<CheckpointRow, "seq" | "hash" | "signature">[] = [],
  onPage?: (read: number) => void,
): Promise<VerifyResult> {
  const stored = await db.auditCheckpoint.findMany({ orderBy: { seq: "asc" } });
  return verifyAudit(auditRows(db, 1000, onPage), [...stored, ...keptCheckpoints], publicJwk);
}

/** The audit entry for a change the caller made to an owner's data about an enterprise. */
export function changeEntry(
  row: { ownerId: string; uscc: string },
  what: string,
  detail: JsonObject,
  action: AuditAction = "WRITE",
) {
  return { ownerId: row.ownerId, uscc: row.uscc, action, decision: "RECORDED" as const, fields: [what], detail };
}
