import {
  CliError,
  type Command,
  onlyPositional,
  print,
  REMOTE_HELP,
  REMOTE_OPTIONS,
  type Remote,
  remote,
} from "../command.ts";

/** The owners that keep sharing grants: the list field and the revoke mutation each mounts. */
const OWNERS = [
  { owner: "associations", list: "associationSharingGrants", revoke: "revokeAssociationAccess" },
  { owner: "bureaus", list: "bureauSharingGrants", revoke: "revokeBureauAccess" },
  { owner: "industry", list: "industryBodySharingGrants", revoke: "revokeIndustryBodyAccess" },
] as const;

const FIELDS = "id consumerOrganisationId consumerType classes purposes validFrom validUntil revokedAt";
const COLUMNS = ["owner", ...FIELDS.split(" ")];

const GRANTS_HELP = `Grants are the data owner's own decisions: these commands act as the organisation whose key
they hold (an association, bureau or industry body), never on another owner's grants.\n\n${REMOTE_HELP}`;

type Row = Record<string, unknown> & { id: string; owner: string };

/** Every grant the caller's organisation made, with each owner's; owners the caller is not are skipped. */
async function listGrants(hub: Remote): Promise<Row[]> {
  const result = await hub.attempt<Record<string, Record<string, unknown>[] | null>>(
    /* GraphQL */ `{ ${OWNERS.map((o) => `${o.owner}: ${o.list} { ${FIELDS} }`).join(" ")} }`,
  );
  const failures = (result.errors ?? []).filter((e) => e.extensions?.code !== "FORBIDDEN");
  if (failures.length)
    throw new CliError(failures.map((e) => `${e.message} (${String(e.extensions?.code ?? "ERROR")})`).join("; "));
  const rows = OWNERS.flatMap((o) => (result.data?.[o.owner] ?? []).map((g) => ({ owner: o.owner, ...g }) as Row));
  if (!OWNERS.some((o) => Array.isArray(result.data?.[o.owner])))
    throw new CliError(
      "This key's organisation keeps no sharing grants: only associations, bureaus and industry bodies grant access to their data.",
    );
  return rows;
}

export const grantCommands: Command[] = [
  {
    name: "grants list",
    summary: "list the sharing grants your organisation made, revoked ones included",
    usage: "",
    detail: GRANTS_HELP,
    options: REMOTE_OPTIONS,
    async run(args) {
      print(args, await listGrants(remote(args)), COLUMNS);
    },
  },
  {
    name: "grants revoke",
    summary: "revoke one of your organisation's sharing grants; it stops counting on the next request",
    usage: "<grant id>",
    detail: GRANTS_HELP,
    options: REMOTE_OPTIONS,
    async run(args) {
      const id = onlyPositional(args, "grant id (see `grants list`)");
      const hub = remote(args);
      const found = (await listGrants(hub)).find((g) => g.id === id);
      if (!found) throw new CliError(`Your organisation made no grant ${id} (see \`grants list\`).`);
      const owner = OWNERS.find((o) => o.owner === found.owner);
      if (!owner) throw new CliError(`Unknown owner ${found.owner}.`);
      const data = await hub.call<Record<string, Record<string, unknown>>>(
        /* GraphQL */ `mutation ($id: ID!) { revoked: ${owner.revoke}(id: $id) { ${FIELDS} } }`,
        { id },
      );
      print(args, [{ owner: owner.owner, ...data.revoked }], COLUMNS);
    },
  },
];
