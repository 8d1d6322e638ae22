import { type Finding, finding } from "../../../subgraphs/sdk/findings.ts";
import { owner } from "../owner.ts";
import { certificatesOf } from "./certificate.ts";

/**
 * The partner's part in a bank's standing check: a certificate the
 * association withdrew is an adverse finding. The registry weighs it once the hub's
 * supergraph.config.json names the part (`"standing"` in the partner's entry).
 */
owner.standingFindings((usccs, context) =>
  Promise.all(
    usccs.map(async (uscc) => {
      const byOwner = new Map<string, Finding[]>();
      for (const c of await certificatesOf(context, uscc)) {
        const findings = byOwner.get(c.ownerId) ?? [];
        if (c.status === "WITHDRAWN")
          // A code of the partner's own: the set is open (protocol/credit-terms.ts).
          findings.push(
            finding("CERTIFICATE_WITHDRAWN", true, {
              label: c.product,
              message: `${c.product} 质量证书被撤销`,
              messageEn: `Quality certificate for ${c.product} withdrawn.`,
            }),
          );
        byOwner.set(c.ownerId, findings);
      }
      return { public: [], owners: [...byOwner].map(([ownerId, findings]) => ({ ownerId, findings })) };
    }),
  ),
);
