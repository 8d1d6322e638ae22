import { describe, expect, it } from "vitest";
import { REPORT_FONT_SETTING, renderReportPdf } from "../../subgraphs/registry/report/pdf.ts";
import type { ReportView } from "../../subgraphs/registry/report/view.ts";
import { pagesText } from "../support/pdf.ts";

/**
 * The printed standing report (subgraphs/registry/report/pdf.ts), read back as text the way a search or a
 * screen reader would: Chinese must come out as Chinese, which only an embedded CJK font with a ToUnicode map
 * gives. Needs the font CI installs (fonts-wqy-microhei) or REPORT_FONT.
 */

const VIEW: ReportView = {
  number: "CR-20260501-000123",
  madeAt: "2026-05-01T06:03:07.000Z",
  purpose: "LOAN_APPROVAL",
  requester: { id: "org_bank_demo", name: "示例银行杭州分行" },
  enterprise: { uscc: "91330106MA2GDEM01X", name: "杭州示例科技有限公司" },
  consent: { id: "consent_42", expiresAt: "2026-11-01T00:00:00.000Z" },
  goodStanding: false,
  concerns: [
    {
      code: "ASSOCIATION_NEGATIVE_RECORD",
      owner: "associations",
      message: "行业协会记有一条未结清的不良记录：合同违约，涉及金额较大，尚未履行调解协议。",
      messageEn: "An association holds an open negative record: breach of contract, not yet settled by mediation.",
    },
  ],
  programmes: [
    {
      name: "科技型中小企业贷",
      eligible: false,
      unmet: [
        { code: "NO_NEGATIVE_RECORDS", message: "近两年无不良记录", messageEn: "No negative records in two years" },
      ],
    },
    { name: "Green credit", eligible: true, unmet: [] },
  ],
  parts: [
    {
      owner: "浙江省软件行业协会",
      subgraph: "associations",
      audit: { seq: "17", hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" },
      findings: 1,
      signedAt: "2026-05-01T06:03:05.000Z",
    },
  ],
};

describe("the standing report as PDF", () => {
  it("when rendered in Chinese, then the number, the enterprise's Chinese name and the Chinese title are text", async () => {
    const pdf = await renderReportPdf(VIEW, "zh");
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = (await pagesText(pdf)).join("\n");
    expect(text).toContain(VIEW.number);
    expect(text).toContain("杭州示例科技有限公司");
    expect(text).toContain("企业信用状况报告");
    expect(text).toContain("有不良信息");
    // Beijing time, with the zone said: 06:03 UTC is 14:03 in Shanghai.
    expect(text).toContain("2026-05-01 14:03:07 北京时间");
    expect(text).toContain("9f86d081884c7d65");
    expect(text).not.toContain("9f86d081884c7d659");
    expect(text).toContain("npm run hub -- report verify");
  });

  it("when rendered in English, then the title and labels are English and Chinese names still come out as text", async () => {
    const text = (await pagesText(await renderReportPdf(VIEW, "en"))).join("\n");
    expect(text).toContain("Enterprise Credit Standing Report");
    expect(text).toContain(VIEW.number);
    expect(text).toContain("杭州示例科技有限公司");
    expect(text).toContain("Adverse facts");
    expect(text).toContain("An association holds an open negative record");
    expect(text).not.toContain("企业信用状况报告");
  });

  it("when there are 80 concerns, then the table runs over several pages and every page carries the number and N/M", async () => {
    const concerns = Array.from({ length: 80 }, (_, i) => ({
      code: `CONCERN_${i + 1}`,
      owner: "bureaus",
      message: `第 ${i + 1} 条：法院判决未履行，被列为失信被执行人，金额与案号见征信机构的记录。`,
      messageEn: `Number ${i + 1}: an unperformed court judgment.`,
    }));
    const pages = await pagesText(await renderReportPdf({ ...VIEW, concerns }, "zh"));
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((page, i) => {
      expect(page).toContain(VIEW.number);
      expect(page).toContain(`第 ${i + 1}/${pages.length} 页`);
    });
    // No row lost at a page break, and none drawn twice.
    const all = pages.join("\n");
    for (const n of [1, 40, 80]) expect(all.match(new RegExp(`CONCERN_${n}(?!\\d)`, "g"))).toHaveLength(1);
  });

  it("when the font setting names a missing file, then the error says what to install or set, Chinese first", async () => {
    const env = { [REPORT_FONT_SETTING]: "/nowhere/font.ttf" };
    const error = await renderReportPdf(VIEW, "zh", env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^REPORT_FONT=\/nowhere\/font\.ttf：无法读取字体文件/);
    expect(message).toContain("fonts-wqy-microhei");
    expect(message).toContain("cannot read the font file");
  });

  it("when the font setting names a collection without a face, then the error lists the faces to choose from", async () => {
    const env = { [REPORT_FONT_SETTING]: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" };
    const error = await renderReportPdf(VIEW, "zh", env).catch((e: unknown) => e);
    expect((error as Error).message).toContain("可选：WenQuanYiMicroHei、WenQuanYiMicroHeiMono");
    expect((error as Error).message).toContain(
      "Add #<face> to the path, one of: WenQuanYiMicroHei, WenQuanYiMicroHeiMono",
    );
  });
});
