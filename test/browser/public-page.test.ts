import { existsSync, mkdirSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ENTERPRISES, seedDemo } from "../../hub/seed.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";

/**
 * The public query page in headless Chromium, on the demo data: search by
 * code and by name, the grade and a public sanction, the methodology, and the
 * language switch. Screenshots go to test-results/screenshots/.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = "test-results/screenshots";

let t: TestHub;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH.`);
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestHub();
  await seedDemo(t.url, t.operatorKey);
  base = t.url.replace(/\/graphql$/, "");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  // The page may load nothing but its own origin.
  page.on("request", (request) => {
    if (!request.url().startsWith(base)) throw new Error(`The page asked for ${request.url()}`);
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const uscc = (i: number) => (DEMO_ENTERPRISES[i] as { uscc: string }).uscc;

async function search(text: string) {
  await page.fill("#q", text);
  await page.click("form#search button[type=submit]");
}

describe("the public query page", () => {
  it("when someone searches by USCC, then they see the enterprise, its public condemnation and its black-list entry", async () => {
    await page.goto(`${base}/`);
    await expect.poll(() => page.title()).toBe("行业信用信息公示查询");
    await search(uscc(7));
    await page.waitForSelector("#enterprise-name");
    expect(await page.textContent("#enterprise-name")).toBe("广州森源板材有限公司");
    const sanctions = await page.textContent("#sanctions");
    expect(sanctions).toContain("公开谴责");
    expect(sanctions).toContain("板材甲醛释放量抽检不合格且拒不整改");
    expect(await page.textContent("#view")).toContain("黑名单");
    await page.screenshot({ path: `${SHOTS}/by-uscc-sanction.png`, fullPage: true });
  });

  it("when someone searches by name, then they pick the enterprise from the results and see its valid grade and certificate", async () => {
    await page.goto(`${base}/`);
    await search("精工");
    await page.click("text=上海精工五金有限公司");
    await page.waitForSelector("#grade");
    expect(await page.textContent("#grade")).toBe("AAA");
    const view = (await page.textContent("#view")) ?? "";
    expect(view).toMatch(/2025101111\d{5}/);
    expect(view).toContain("华东五金制品行业协会 (demo)");
    expect(view).toContain("2028-06-17");
    await page.screenshot({ path: `${SHOTS}/by-name-grade.png`, fullPage: true });

    await page.click("#methodology-link");
    await page.waitForSelector("#methodology-title");
    const methodology = (await page.textContent("#view")) ?? "";
    expect(methodology).toContain("财务状况");
    expect(methodology).toContain("30%");
    expect(methodology).toContain("111");
    await page.screenshot({ path: `${SHOTS}/methodology.png`, fullPage: true });
  });

  it("when someone switches to English, then the same result reads in English, and back", async () => {
    await page.goto(`${base}/?uscc=${uscc(7)}`);
    await page.waitForSelector("#enterprise-name");
    await page.click("#lang");
    await expect.poll(() => page.textContent("#sanctions")).toContain("Public condemnation");
    expect(await page.textContent("#view")).toContain("Black list");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(page.url()).toContain("lang=en");
    await page.screenshot({ path: `${SHOTS}/english.png`, fullPage: true });
    await page.click("#lang");
    await expect.poll(() => page.textContent("#sanctions")).toContain("公开谴责");
  });

  it("when a search finds nothing, then it says so", async () => {
    await page.goto(`${base}/`);
    await search("不存在的企业名称");
    await page.waitForSelector("#no-results");
    expect(await page.textContent("#no-results")).toBe("没有找到名称包含该文字的企业。");
  });
});
