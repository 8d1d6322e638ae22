import { beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_DOCUMENTS } from "../gateway/public-page.ts";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";
import { admit, EVALUATE, evaluatingAssociation, evaluation, grant, ok } from "./support/scenes.ts";

/** The public page's endpoint: fixed documents only, always anonymous. (The page itself: test/browser.) */

let t: TestHub;
let base: string;
beforeAll(async () => {
  t = await sharedTestHub();
  base = t.url.replace(/\/graphql$/, "");
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/public/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("the public page", () => {
  it("when the page is fetched, then it comes from the hub itself with a policy that allows nothing from elsewhere", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'; script-src 'self'/);
    const html = await page.text();
    expect(html).toContain("行业信用信息公示查询");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const asset of ["/assets/app.js", "/assets/style.css"])
      expect((await fetch(`${base}${asset}`)).status).toBe(200);
  });

  it("when the endpoint is asked anything but its own documents, then it refuses", async () => {
    const arbitrary = await post({ query: "{ __schema { types { name } } }" });
    expect(arbitrary.status).toBe(400);
    expect((await arbitrary.json()).errors[0].message).toMatch(/runs only the public page's documents/);
    expect((await post({ document: "toString", variables: {} })).status).toBe(400);
    expect((await post({ document: "enterprise", variables: { uscc: "x".repeat(19) } })).status).toBe(400);
    expect((await post({ document: "enterprise", variables: { uscc: newUscc(), extra: "1" } })).status).toBe(400);
    expect((await post({ document: "enterprise", variables: { uscc: newUscc() } }, {})).status).toBe(200);
  });

  it("when a caller sends credentials to the page's endpoint, then it is still answered as anyone, and non-public fields stay out of reach", async () => {
    const { association, methodologyId } = await evaluatingAssociation(t);
    const uscc = newUscc();
    await admit(t, association.key, uscc);
    await ok(t, EVALUATE, evaluation(uscc, methodologyId, 88, 88), association.key);
    const bank = await t.organisation("FINANCIAL");
    await grant(t, association.key, { consumerOrganisationId: bank.id, classes: ["SHARED"] });

    const anonymous = await (await post({ document: "enterprise", variables: { uscc } })).json();
    const withKey = await (
      await post(
        { document: "enterprise", variables: { uscc } },
        { "x-api-key": bank.key, "x-purpose": "LOAN_APPROVAL" },
      )
    ).json();
    expect(withKey).toEqual(anonymous);
    expect(anonymous.data.enterprise.evaluation).toMatchObject({ grade: "AA", status: "VALID" });
    expect(anonymous.errors).toBeUndefined();

    // The same non-public field, asked directly at /graphql without a key, is FORBIDDEN; the page never asks for it.
    const direct = await t.query(
      `query ($u: USCC!) { enterprise(uscc: $u) { evaluation { total scores { score } } } }`,
      { u: uscc },
    );
    expect(direct.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
    expect(Object.values(PUBLIC_DOCUMENTS).join("\n")).not.toMatch(/\b(total|scores|summary|objection)\b/);
  });
});
