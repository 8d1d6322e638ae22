/**
 * The SDK's tables have one source, subgraphs/sdk/prisma/<file>.prisma
 * (grants.prisma: OrganisationType and SharingGrant; audit.prisma: AuditEntry
 * and AuditCheckpoint). Each Prisma folder (prisma/<owner>, examples/<name>/prisma)
 * is a multi-file schema: its schema.prisma (datasource, generator, the owner's
 * own models) and a committed copy of each SDK file it keeps, under the same
 * name (the registry keeps audit.prisma only). `npm run generate` rewrites the
 * copies; `npm run migrations:check` fails while one differs from its source.
 * Paths are relative to the repository root, where npm runs the scripts.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

export const SDK_TABLES_DIR = "subgraphs/sdk/prisma";

/** Every Prisma schema folder: prisma/<owner> and examples/<name>/prisma, each with its schema.prisma. */
export function prismaFolders(): string[] {
  const folders = (root: string, inner: string) =>
    existsSync(root)
      ? readdirSync(root, { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${root}/${entry.name}${inner}`)
      : [];
  return [...folders("prisma", ""), ...folders("examples", "/prisma")].filter((dir) =>
    existsSync(`${dir}/schema.prisma`),
  );
}

export interface SdkTableCopy {
  /** subgraphs/sdk/prisma/<file>.prisma */
  source: string;
  /** <folder>/<file>.prisma */
  copy: string;
  /** The source's text: what the copy must be, byte for byte. */
  expected: string;
  actual: string;
}

/** The copies a Prisma folder keeps of the SDK's table files, with what each holds and should hold. */
export function sdkTableCopies(folder: string): SdkTableCopy[] {
  return readdirSync(SDK_TABLES_DIR)
    .filter((name) => name.endsWith(".prisma") && existsSync(`${folder}/${name}`))
    .sort()
    .map((name) => ({
      source: `${SDK_TABLES_DIR}/${name}`,
      copy: `${folder}/${name}`,
      expected: readFileSync(`${SDK_TABLES_DIR}/${name}`, "utf8"),
      actual: readFileSync(`${folder}/${name}`, "utf8"),
    }));
}

/** Rewrites every copy that differs from its source; returns the ones rewritten. */
export function writeSdkTableCopies(folders = prismaFolders()): string[] {
  const written: string[] = [];
  for (const folder of folders)
    for (const { copy, expected, actual } of sdkTableCopies(folder))
      if (actual !== expected) {
        writeFileSync(copy, expected);
        written.push(copy);
      }
  return written;
}

/** Every .prisma file of a folder's schema, concatenated (what Prisma reads with --schema <folder>). */
export function schemaText(folder: string): string {
  return readdirSync(folder)
    .filter((name) => name.endsWith(".prisma"))
    .sort()
    .map((name) => readFileSync(`${folder}/${name}`, "utf8"))
    .join("\n");
}
