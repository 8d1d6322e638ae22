import {
  type Command,
  onlyPositional,
  print,
  REMOTE_HELP,
  REMOTE_OPTIONS,
  remote,
  required,
  say,
  usage,
} from "../command.ts";

// expiresAt and expired: a key past its expiry is refused, so the listing says which ones are.
const FIELDS = "id label roles createdAt expiresAt expired lastUsedAt revokedAt";
const COLUMNS = FIELDS.split(" ");

export const keyCommands: Command[] = [
  {
    name: "keys list",
    summary: "list an organisation's API keys, revoked ones included",
    usage: "--organisation ID",
    detail: REMOTE_HELP,
    options: { ...REMOTE_OPTIONS, organisation: { type: "string" } },
    async run(args) {
      const { values } = args;
      const id = required(values, "organisation", "whose keys (see `organisations list`)");
      const data = await remote(args).call<{ organisation: { apiKeys: Record<string, unknown>[] } }>(
        /* GraphQL */ `query ($id: ID!) { organisation(id: $id) { apiKeys { ${FIELDS} } } }`,
        { id },
      );
      print(args, data.organisation.apiKeys, COLUMNS);
    },
  },
  {
    name: "keys issue",
    summary: "issue an API key to an organisation; the key is printed once",
    usage: "--organisation ID --label TEXT [--roles STAFF,ADMIN] [--expires-at 2027-06-30T00:00:00Z]",
    detail: `Roles: STAFF keeps and reads the organisation's data, ADMIN manages its keys, OPERATOR runs the hub (operators only).
--expires-at: when the key stops working (at most two years ahead); without it the key does not expire.
The hub keeps only a hash: store the printed key now.\n\n${REMOTE_HELP}`,
    options: {
      ...REMOTE_OPTIONS,
      organisation: { type: "string" },
      label: { type: "string" },
      roles: { type: "string", default: "STAFF" },
      "expires-at": { type: "string" },
    },
    async run(args) {
      const { values } = args;
      const expiresAt = values["expires-at"] === undefined ? undefined : String(values["expires-at"]);
      if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt)))
        throw usage(
          `--expires-at ${JSON.stringify(expiresAt.slice(0, 40))} is not a date and time (e.g. 2027-06-30T00:00:00Z).`,
        );
      const input = {
        organisationId: required(values, "organisation", "who gets the key (see `organisations list`)"),
        label: required(values, "label", "what the key is for, e.g. the system that will use it"),
        roles: String(values.roles)
          .split(",")
          .map((r) => r.trim().toUpperCase())
          .filter(Boolean),
        ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt).toISOString() }),
      };
      const data = await remote(args).call<{ issueApiKey: { key: string; apiKey: Record<string, unknown> } }>(
        /* GraphQL */ `mutation ($input: IssueApiKeyInput!) { issueApiKey(input: $input) { key apiKey { ${FIELDS} } } }`,
        { input },
      );
      if (values.json) return print(args, [{ ...data.issueApiKey.apiKey, key: data.issueApiKey.key }], []);
      say(
        args.io.stderr,
        `Issued key ${data.issueApiKey.apiKey.id} (${input.roles.join(", ")}). Store it now; it is not shown again:`,
      );
      say(args.io.stdout, data.issueApiKey.key);
    },
  },
  {
    name: "keys revoke",
    summary: "revoke an API key; it stops working on the next request",
    usage: "<key id>",
    detail: REMOTE_HELP,
    options: REMOTE_OPTIONS,
    async run(args) {
      const id = onlyPositional(args, "key id (see `keys list`)");
      const data = await remote(args).call<{ revokeApiKey: Record<string, unknown> }>(
        /* GraphQL */ `mutation ($id: ID!) { revokeApiKey(id: $id) { ${FIELDS} } }`,
        { id },
      );
      print(args, [data.revokeApiKey], COLUMNS);
    },
  },
];
