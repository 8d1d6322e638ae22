import type { IncomingMessage } from "node:http";

/**
 * Bodies read against a byte limit, stopping as soon as it is passed: a
 * hostile request body never reaches a JSON or GraphQL parser whole, and an
 * answer only a cost estimate should have stopped is cut instead of sent.
 * Hand-written: neither the runtime nor Node's HTTP server caps a body.
 */

/** The request body, or null once it passes `max` bytes (the rest is not read). */
export async function readCappedBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The runtime's answer, read up to `max` bytes; null once it passes them (the
 * rest is not read). The cost estimate assumes list sizes, so an answer can
 * still outgrow what it allowed.
 */
export async function readCappedAnswer(response: Response, max: number | null): Promise<Buffer | null> {
  if (max === null || !response.body) return Buffer.from(await response.arrayBuffer());
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > max) {
    await response.body.cancel();
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) {
      await response.body.cancel().catch(() => {});
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
