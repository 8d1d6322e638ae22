import { type Command, onlyPositional, print, REMOTE_HELP, REMOTE_OPTIONS, remote, required } from "../command.ts";

const FIELDS = "id name type uscc status createdAt";
const COLUMNS = FIELDS.split(" ");

export const organisationCommands: Command[] = [
  {
    name: "organisations list",
    summary: "list the organisations on the hub",
    usage: "[--type TYPE]",
    detail: REMOTE_HELP,
    options: { ...REMOTE_OPTIONS, type: { type: "string" } },
    async run(args) {
      const { values } = args;
      const data = await remote(args).call<{ organisations: Record<string, unknown>[] }>(
        /* GraphQL */ `query ($type: OrganisationType) { organisations(type: $type) { ${FIELDS} } }`,
        { type: values.type ?? null },
      );
      print(args, data.organisations, COLUMNS);
    },
  },
  {
    name: "organisations create",
    summary: "admit an organisation (operators only)",
    usage: "--name NAME --type ASSOCIATION|BUREAU|INDUSTRY_BODY|FINANCIAL|REGULATOR|ENTERPRISE [--uscc CODE]",
    detail: `An ENTERPRISE needs its Unified Social Credit Code. Then issue it a key with \`keys issue\`.\n\n${REMOTE_HELP}`,
    options: { ...REMOTE_OPTIONS, name: { type: "string" }, type: { type: "string" }, uscc: { type: "string" } },
    async run(args) {
      const { values } = args;
      const input = {
        name: required(values, "name", "the organisation's registered name"),
        type: required(values, "type", "what kind of party it is").toUpperCase(),
        uscc: values.uscc ?? null,
      };
      const data = await remote(args).call<{ createOrganisation: Record<string, unknown> }>(
        /* GraphQL */ `mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { ${FIELDS} } }`,
        { input },
      );
      print(args, [data.createOrganisation], COLUMNS);
    },
  },
  ...(["suspend", "reactivate"] as const).map(
    (verb): Command => ({
      name: `organisations ${verb}`,
      summary:
        verb === "suspend"
          ? "suspend an organisation: all its keys stop working at once (operators only)"
          : "let a suspended organisation's keys work again (operators only)",
      usage: "<organisation id>",
      detail: REMOTE_HELP,
      options: REMOTE_OPTIONS,
      async run(args) {
        const id = onlyPositional(args, "organisation id");
        const data = await remote(args).call<{ setOrganisationStatus: Record<string, unknown> }>(
          /* GraphQL */ `mutation ($id: ID!, $status: OrganisationStatus!) { setOrganisationStatus(id: $id, status: $status) { ${FIELDS} } }`,
          { id, status: verb === "suspend" ? "SUSPENDED" : "ACTIVE" },
        );
        print(args, [data.setOrganisationStatus], COLUMNS);
      },
    }),
  ),
];
