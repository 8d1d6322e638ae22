import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "graphql";
import { documentHash, readManifest } from "../../gateway/trusted-documents.ts";
import { readSettings } from "../../operations/settings.ts";
import { CliError, type Command, type Parsed, print, say, usage } from "../command.ts";

const MANIFEST_HELP = `The manifest is the file the gateway reads as TRUSTED_DOCUMENTS_FILE (--manifest, or that variable):
{ "<sha256 of the text>": "query …" }. Clients send the hash as extensions.persistedQuery.sha256Hash.`;

function manifestPath({ values, io }: Parsed): string {
  const file =
    (values.manifest as string | undefined) ?? readSettings(["TRUSTED_DOCUMENTS_FILE"], io.env).TRUSTED_DOCUMENTS_FILE;
  if (!file) throw usage("Name the manifest: --manifest FILE, or set TRUSTED_DOCUMENTS_FILE.");
  return resolve(file);
}

export const documentCommands: Command[] = [
  {
    name: "documents add",
    summary: "register operations for trusted-documents mode (each file one operation)",
    usage: "--manifest FILE <operation.graphql>…",
    detail: `Each file must hold exactly one operation (with its fragments). Prints each one's hash.\n${MANIFEST_HELP}`,
    options: { manifest: { type: "string" }, json: { type: "boolean" } },
    async run(args) {
      const { positionals } = args;
      const file = manifestPath(args);
      if (positionals.length === 0) throw usage("Give at least one .graphql file holding an operation.");
      const manifest = existsSync(file) ? readManifest(file) : new Map<string, string>();
      const added = positionals.map((path) => {
        const text = readFileSync(path, "utf8");
        let operations: number;
        try {
          operations = parse(text).definitions.filter((d) => d.kind === "OperationDefinition").length;
        } catch (error) {
          throw new CliError(`${path} does not parse: ${(error as Error).message}`);
        }
        if (operations !== 1) throw new CliError(`${path} holds ${operations} operations; give one per file.`);
        const hash = documentHash(text);
        manifest.set(hash, text);
        return { file: path, hash };
      });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(Object.fromEntries(manifest), null, 2)}\n`);
      renameSync(temporary, file);
      print(args, added, ["hash", "file"]);
      say(args.io.stderr, `${file} now registers ${manifest.size} operations; restart the gateway to serve them.`);
    },
  },
  {
    name: "documents list",
    summary: "list the operations a manifest registers",
    usage: "--manifest FILE",
    detail: MANIFEST_HELP,
    options: { manifest: { type: "string" }, json: { type: "boolean" } },
    async run(args) {
      const rows = [...readManifest(manifestPath(args))].map(([hash, text]) => {
        const operation = parse(text).definitions.find((d) => d.kind === "OperationDefinition");
        return { hash, operation: operation?.name?.value ?? "(anonymous)", kind: operation?.operation };
      });
      print(args, rows, ["hash", "kind", "operation"]);
    },
  },
];
