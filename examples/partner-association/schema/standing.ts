import { owner } from "../owner.ts";
import { certificatesOf } from "./certificate.ts";

/**
 * The partner's part in a bank's standing check: a certificate the
 * association withdrew is a concern. The registry weighs it once the hub's
 * supergraph.config.json names the part (`"standing"` in the partner's entry).
 */
owner.standingConcerns((usccs, context) =>
  Promise.all(
    usccs.map(async (uscc) => {
      const byOwner = new Map<string, string[]>();
      for (const c of await certificatesOf(context, uscc)) {
        const concerns = byOwner.get(c.ownerId) ?? [];
        if (c.status === "WITHDRAWN")
          concerns.push(`Quality certificate for ${c.product} withdrawn (plastics association ${c.ownerId}).`);
        byOwner.set(c.ownerId, concerns);
      }
      return { publicConcerns: [], owners: [...byOwner].map(([ownerId, concerns]) => ({ ownerId, concerns })) };
    }),
  ),
);
