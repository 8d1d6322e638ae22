import { describe, expect, it } from "vitest";
import type { Caller } from "../../protocol/identity.ts";
import { cachedGrantStore, type GrantRecord, type GrantStore, type NewGrant } from "../../subgraphs/sdk/grants.ts";

type Bank = Extract<Caller, { kind: "organisation" }>;
const bank: Bank = {
  kind: "organisation",
  organisationId: "00000000-0000-4000-8000-000000000001",
  organisationType: "FINANCIAL",
  uscc: null,
  roles: ["STAFF"],
};

/** One owner's grants table, shared by every replica of the owner that opens it; counts the reads of held grants. */
class Table {
  rows: GrantRecord[] = [];
  reads = 0;
}

/** The plain store over a table, as prismaGrantStore is over the database. */
function plainStore(): GrantStore<Table> {
  return {
    list: async (db, ownerId) => db.rows.filter((g) => g.ownerId === ownerId),
    find: async (db, id) => db.rows.find((g) => g.id === id) ?? null,
    create: async (db, grant: NewGrant) => {
      const row: GrantRecord = { ...grant, id: `g${db.rows.length + 1}`, revokedAt: null, createdAt: new Date() };
      db.rows.push(row);
      return row;
    },
    revoke: async (db, id, at) => {
      const row = db.rows.find((g) => g.id === id);
      if (!row) throw new Error("no such grant");
      row.revokedAt = at;
      return { ...row };
    },
    heldBy: async (db, caller) => {
      db.reads++;
      return db.rows
        .filter((g) => !g.revokedAt)
        .filter((g) => g.consumerOrganisationId === caller.organisationId || g.consumerType === caller.organisationType)
        .map((g) => ({ ...g }));
    },
  };
}

const toBank = (ownerId: string): NewGrant => ({
  ownerId,
  consumerOrganisationId: bank.organisationId,
  consumerType: null,
  classes: ["SHARED"],
  purposes: ["LOAN_APPROVAL"],
  validFrom: new Date(0),
  validUntil: null,
  createdBy: ownerId,
});

/** Two replicas of one owner over one table, each with its own cache, on a clock the test moves. */
function replicas(seconds = 5) {
  let ms = 1_000_000;
  const clock = {
    advance(by: number) {
      ms += by;
    },
  };
  const options = { seconds: () => seconds, now: () => ms };
  return {
    table: new Table(),
    here: cachedGrantStore(plainStore(), options),
    there: cachedGrantStore(plainStore(), options),
    clock,
  };
}

describe("the grants an owner keeps for a while (GRANTS_CACHE_SECONDS)", () => {
  it("when a consumer asks again within the bound, then its grants are not read again", async () => {
    const { table, here } = replicas();
    await here.create(table, toBank("assoc"));
    expect(await here.heldBy(table, bank)).toHaveLength(1);
    expect(await here.heldBy(table, bank)).toHaveLength(1);
    expect(table.reads).toBe(1);
  });

  it("when a grant is made or revoked through this process, then the next request sees it at once", async () => {
    const { table, here } = replicas();
    expect(await here.heldBy(table, bank)).toHaveLength(0);
    const grant = await here.create(table, toBank("assoc"));
    expect(await here.heldBy(table, bank)).toHaveLength(1);
    await here.revoke(table, grant.id, new Date());
    expect(await here.heldBy(table, bank)).toHaveLength(0);
  });

  it("when another replica revokes, then this one stops releasing by the bound, not before it is read again", async () => {
    const { table, here, there, clock } = replicas(5);
    const grant = await there.create(table, toBank("assoc"));
    expect(await here.heldBy(table, bank)).toHaveLength(1);
    await there.revoke(table, grant.id, new Date());
    clock.advance(4_999);
    expect(await here.heldBy(table, bank)).toHaveLength(1);
    clock.advance(2);
    expect(await here.heldBy(table, bank)).toHaveLength(0);
  });

  it("when the bound is 0, then every request reads the grants", async () => {
    const { table, here } = replicas(0);
    await here.heldBy(table, bank);
    await here.heldBy(table, bank);
    expect(table.reads).toBe(2);
  });

  it("when one process runs two owners' databases, then neither sees the other's grants", async () => {
    const { here } = replicas();
    const first = new Table();
    const second = new Table();
    await here.create(first, toBank("assoc"));
    expect(await here.heldBy(first, bank)).toHaveLength(1);
    expect(await here.heldBy(second, bank)).toHaveLength(0);
  });
});
