import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import PDFDocument from "pdfkit";
import { type Env, readSettings } from "../../../operations/settings.ts";
import type { Purpose } from "../../../protocol/access-terms.ts";
import type { ReportLanguage, ReportView } from "./view.ts";

/**
 * The printed standing report: what a credit officer files with a loan. It shows the view and nothing else (the view
 * is made from the signed JSON), and says on every page that the JSON, not the paper, is the record.
 *
 * Chinese is the default: pdfkit's standard fonts have no CJK glyphs, so a CJK font is embedded (subset to the
 * glyphs used). It is found at render time, not shipped: see `loadReportFont`.
 */

// ---- the font -------------------------------------------------------------------------------------------------

/** A font file, and for a collection (TTC) the PostScript name of the face to use: pdfkit needs it to pick one. */
interface FontSource {
  path: string;
  face?: string;
}

/**
 * Where Debian puts CJK fonts. WenQuanYi Micro Hei first: it is small (5 MB), a TrueType font (cheap to subset) and
 * what CI installs for the browser tests. For Noto the SC face: the collection's first face is the Japanese one, whose
 * glyph shapes differ for many hanzi.
 */
const KNOWN_FONTS: readonly FontSource[] = [
  { path: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", face: "WenQuanYiMicroHei" },
  { path: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", face: "WenQuanYiZenHei" },
  { path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", face: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", face: "NotoSerifCJKsc-Regular" },
];

export const REPORT_FONT_SETTING = "REPORT_FONT" as const;

const INSTALL_HINT_ZH =
  `请安装 fonts-wqy-microhei（apt-get install -y --no-install-recommends fonts-wqy-microhei），` +
  `或将 ${REPORT_FONT_SETTING} 设为 TTF/OTF/TTC 字体文件的路径（TTC 须在路径后加 #字体的 PostScript 名，` +
  `如 /usr/share/fonts/truetype/wqy/wqy-microhei.ttc#WenQuanYiMicroHei）。`;
const INSTALL_HINT_EN =
  `Install fonts-wqy-microhei (apt-get install -y --no-install-recommends fonts-wqy-microhei), ` +
  `or set ${REPORT_FONT_SETTING} to the path of a TTF/OTF/TTC font (for a TTC add #<PostScript name of the face>, ` +
  `e.g. /usr/share/fonts/truetype/wqy/wqy-microhei.ttc#WenQuanYiMicroHei).`;

export interface ReportFont {
  path: string;
  face?: string;
  bytes: Buffer;
}

/** Keyed by the setting's value ("" when unset): a test or an operator that changes it gets the font it names. */
const fontCache = new Map<string, Promise<ReportFont>>();

/**
 * The CJK font for reports: `REPORT_FONT` when set (`path` or `path#Face` for a collection), else the
 * first of the known Debian paths that exists. Read once per process: a report must not wait on 5 MB of disk each
 * time. A failure is not kept, so installing the font mends a running process.
 */
export function loadReportFont(env: Env = process.env): Promise<ReportFont> {
  const setting = readSettings([REPORT_FONT_SETTING], env).REPORT_FONT?.trim() ?? "";
  let font = fontCache.get(setting);
  if (!font) {
    font = readFont(setting);
    fontCache.set(setting, font);
    font.catch(() => fontCache.delete(setting));
  }
  return font;
}

async function readFont(setting: string): Promise<ReportFont> {
  if (setting === "") {
    const found = KNOWN_FONTS.find((font) => existsSync(font.path));
    if (!found)
      throw new Error(
        `找不到用于 PDF 报告的中文字体（已查找 ${KNOWN_FONTS.map((f) => f.path).join("、")}）。${INSTALL_HINT_ZH}\n` +
          `No CJK font for the PDF report (looked for ${KNOWN_FONTS.map((f) => f.path).join(", ")}). ${INSTALL_HINT_EN}`,
      );
    return { ...found, bytes: await readFile(found.path) };
  }
  // An operator's explicit choice is never replaced by a known path: a wrong setting should be seen, not hidden.
  const source = parseFontSetting(setting);
  const bytes = await readFile(source.path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `${REPORT_FONT_SETTING}=${setting}：无法读取字体文件（${error.code ?? error.message}）。${INSTALL_HINT_ZH}\n` +
        `${REPORT_FONT_SETTING}=${setting}: cannot read the font file (${error.code ?? error.message}). ${INSTALL_HINT_EN}`,
    );
  });
  const faces = collectionFaces(bytes);
  if (faces.length > 0 && (!source.face || !faces.includes(source.face))) {
    const problemZh = source.face ? `字体集中没有 ${source.face}` : "这是字体集（TTC），须指明用哪一款字体";
    const problemEn = source.face ? `the collection has no face ${source.face}` : "it is a collection (TTC)";
    throw new Error(
      `${REPORT_FONT_SETTING}=${setting}：${problemZh}。请在路径后加 #字体名，可选：${faces.join("、")}。\n` +
        `${REPORT_FONT_SETTING}=${setting}: ${problemEn}. Add #<face> to the path, one of: ${faces.join(", ")}.`,
    );
  }
  return { path: source.path, ...(faces.length > 0 && source.face ? { face: source.face } : {}), bytes };
}

/** `path#Face`; a path that itself contains "#" is taken whole when a file of that name exists. */
function parseFontSetting(setting: string): FontSource {
  const hash = setting.lastIndexOf("#");
  if (hash < 0 || existsSync(setting)) return { path: setting };
  return { path: setting.slice(0, hash), face: setting.slice(hash + 1) };
}

/**
 * The PostScript names of a TrueType/OpenType collection's faces, from each face's `name` table (ID 6); [] for a
 * single font. Read here rather than through fontkit so that a wrong face name can list the right ones without
 * depending on pdfkit's internals.
 */
function collectionFaces(bytes: Buffer): string[] {
  if (bytes.length < 12 || bytes.toString("latin1", 0, 4) !== "ttcf") return [];
  try {
    const faces: string[] = [];
    const count = bytes.readUInt32BE(8);
    for (let i = 0; i < count; i++) {
      const face = bytes.readUInt32BE(12 + 4 * i);
      const tables = bytes.readUInt16BE(face + 4);
      for (let t = 0; t < tables; t++) {
        const record = face + 12 + 16 * t;
        if (bytes.toString("latin1", record, record + 4) !== "name") continue;
        const name = bytes.readUInt32BE(record + 8);
        const postscript = postscriptName(bytes, name);
        if (postscript) faces.push(postscript);
      }
    }
    return faces;
  } catch {
    // A malformed file: pdfkit will say what is wrong with it when it opens it.
    return [];
  }
}

function postscriptName(bytes: Buffer, table: number): string | null {
  const records = bytes.readUInt16BE(table + 2);
  const strings = table + bytes.readUInt16BE(table + 4);
  let mac: string | null = null;
  for (let r = 0; r < records; r++) {
    const record = table + 6 + 12 * r;
    if (bytes.readUInt16BE(record + 6) !== 6) continue;
    const platform = bytes.readUInt16BE(record);
    const start = strings + bytes.readUInt16BE(record + 10);
    const text = bytes.subarray(start, start + bytes.readUInt16BE(record + 8));
    // Windows names are UTF-16BE; Node decodes only little-endian, hence the swap (on a copy).
    if (platform === 3) return Buffer.from(text).swap16().toString("utf16le");
    if (platform === 1) mac = text.toString("latin1");
  }
  return mac;
}

// ---- words ----------------------------------------------------------------------------------------------------

/** A label in both languages: the Chinese report shows the English after it, smaller, for a foreign reader. */
interface Label {
  zh: string;
  en: string;
}

const L = {
  title: { zh: "企业信用状况报告", en: "Enterprise Credit Standing Report" },
  number: { zh: "报告编号", en: "Report No." },
  madeAt: { zh: "生成时间", en: "Made at" },
  requester: { zh: "查询机构", en: "Requester" },
  enterprise: { zh: "企业名称", en: "Enterprise" },
  uscc: { zh: "统一社会信用代码", en: "USCC" },
  purpose: { zh: "查询用途", en: "Purpose" },
  consent: { zh: "企业授权", en: "Consent" },
  verdict: { zh: "结论", en: "Verdict" },
  concerns: { zh: "关注事项", en: "Concerns" },
  code: { zh: "代码", en: "Code" },
  owner: { zh: "数据提供方", en: "Owner" },
  message: { zh: "说明", en: "Message" },
  programmes: { zh: "专项计划资格", en: "Programme eligibility" },
  programme: { zh: "计划", en: "Programme" },
  eligible: { zh: "是否符合", en: "Eligible" },
  unmet: { zh: "未满足的条件", en: "Unmet criteria" },
  parts: { zh: "各数据提供方的部分", en: "Owners' parts" },
  auditSeq: { zh: "审计序号", en: "Audit seq" },
  auditHash: { zh: "审计哈希（前 16 位）", en: "Audit hash (first 16)" },
  signedAt: { zh: "签署时间（北京时间）", en: "Signed at (Asia/Shanghai)" },
} satisfies Record<string, Label>;

const PURPOSE_NAMES: Record<Purpose, Label> = {
  LOAN_APPROVAL: { zh: "贷款审批", en: "Loan approval" },
  CREDIT_CARD_APPROVAL: { zh: "信用卡审批", en: "Credit card approval" },
  GUARANTEE_REVIEW: { zh: "担保审查", en: "Guarantee review" },
  POST_LOAN_MONITORING: { zh: "贷后管理", en: "Post-loan monitoring" },
  INSURANCE_UNDERWRITING: { zh: "保险承保", en: "Insurance underwriting" },
  CREDIT_REPORTING: { zh: "征信", en: "Credit reporting" },
  SUPERVISION: { zh: "监管", en: "Supervision" },
  TRADE_PARTNER_REVIEW: { zh: "交易对手审查", en: "Trade partner review" },
  DISPUTE_MEDIATION: { zh: "纠纷调解", en: "Dispute mediation" },
};

/** The purpose's name with its code: the code is what the JSON and the consent say. */
function purposeText(purpose: string, language: ReportLanguage): string {
  const name = (PURPOSE_NAMES as Record<string, Label | undefined>)[purpose];
  if (!name) return purpose;
  return language === "zh" ? `${name.zh}（${purpose}）` : `${name.en} (${purpose})`;
}

function verdictText(goodStanding: boolean | null): { label: Label; note: Label; color: string } {
  if (goodStanding === true)
    return {
      label: { zh: "良好", en: "Good" },
      note: { zh: "未发现不良信息。", en: "No adverse facts were found." },
      color: "#1b7a3a",
    };
  if (goodStanding === false)
    return {
      label: { zh: "有不良信息", en: "Adverse facts" },
      note: { zh: "见下列关注事项。", en: "See the concerns below." },
      color: "#b3261e",
    };
  return {
    label: { zh: "无法判定", en: "No verdict" },
    note: {
      zh: "有数据提供方的部分未向查询机构提供，无法得出结论。",
      en: "A part was withheld from the requester, so no verdict can be given.",
    },
    color: "#8a6d00",
  };
}

function eligibleText(eligible: boolean | null): Label {
  if (eligible === true) return { zh: "符合", en: "Eligible" };
  if (eligible === false) return { zh: "不符合", en: "Not eligible" };
  return { zh: "无法判定", en: "Undetermined" };
}

/**
 * A time as a reader in China reads it, with the zone said: the JSON keeps UTC, and a bare clock time on paper
 * would be taken for local time anyway. `withZone: false` where a column header already says the zone.
 */
function shanghaiTime(iso: string, language: ReportLanguage, withZone = true): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Shanghai",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  const clock = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  if (!withZone) return clock;
  const offset = (parts.timeZoneName ?? "GMT+08:00").replace("GMT", "UTC");
  return language === "zh" ? `${clock} 北京时间（Asia/Shanghai，${offset}）` : `${clock} Asia/Shanghai (${offset})`;
}

// ---- layout ---------------------------------------------------------------------------------------------------

const PAGE = { size: "A4", margin: 50, bottom: 78 } as const;
const FONT_NAME = "report-cjk";
const INK = "#1a1a1a";
const MUTED = "#5f6368";
const RULE = "#c8ccd0";
const SHADE = "#f1f3f4";
const CELL_PAD = 4;
const HEADING_GAP = 8;

/** One paragraph of a cell; a cell is a column of them (a Chinese label and its English, a list of criteria). */
interface Run {
  text: string;
  size?: number;
  color?: string;
}
type Cell = readonly Run[];

interface Column {
  header: Label;
  /** A share of the text width. */
  share: number;
}

type Doc = PDFKit.PDFDocument;

class ReportWriter {
  readonly left: number;
  readonly width: number;

  constructor(
    readonly doc: Doc,
    readonly language: ReportLanguage,
  ) {
    this.left = doc.page.margins.left;
    this.width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** A new page unless `height` fits on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  /** The label as this report shows it: Chinese with the English after it, smaller; or English alone. */
  labelRuns(label: Label, size: number, color = MUTED): Run[] {
    if (this.language === "en") return [{ text: label.en, size, color }];
    return [
      { text: label.zh, size, color },
      { text: label.en, size: size * 0.75, color: MUTED },
    ];
  }

  /** One language's text of a pair. */
  say(label: Label): string {
    return this.language === "zh" ? label.zh : label.en;
  }

  runHeight(run: Run, width: number): number {
    this.doc.fontSize(run.size ?? 9.5);
    return this.doc.heightOfString(run.text || " ", { width });
  }

  cellHeight(cell: Cell, width: number): number {
    return cell.reduce((sum, run) => sum + this.runHeight(run, width), 0);
  }

  /** Draws a cell's runs from (x, y), none past `limit`: only a row taller than a whole page ever reaches it. */
  drawCell(cell: Cell, x: number, y: number, width: number, limit: number): void {
    let top = y;
    for (const run of cell) {
      const room = limit - top;
      this.doc.fontSize(run.size ?? 9.5);
      if (room < this.doc.currentLineHeight(true)) break;
      this.doc.fillColor(run.color ?? INK).text(run.text || " ", x, top, { width, height: room, ellipsis: true });
      top += Math.min(this.runHeight(run, width), room);
    }
  }

  title(view: ReportView): void {
    const { doc } = this;
    doc.fillColor(INK).fontSize(20).text(this.say(L.title), this.left, doc.y, { width: this.width, align: "center" });
    if (this.language === "zh")
      doc.fillColor(MUTED).fontSize(10).text(L.title.en, { width: this.width, align: "center" });
    doc.moveDown(0.8);

    // The number is what a file, a phone call or a complaint refers to: it gets a band of its own.
    const band = 44;
    const top = doc.y;
    doc.rect(this.left, top, this.width, band).fill(SHADE);
    doc.fillColor(MUTED).fontSize(9);
    doc.text(this.language === "zh" ? `${L.number.zh}  ${L.number.en}` : L.number.en, this.left + 10, top + 6, {
      width: this.width - 20,
    });
    doc
      .fillColor(INK)
      .fontSize(16)
      .text(view.number, this.left + 10, top + 19, { width: this.width - 20, height: 20, ellipsis: true });
    doc.x = this.left;
    doc.y = top + band + 12;
  }

  /** Label and value pairs: a borderless two-column table, so long values wrap and break across pages as rows. */
  fields(rows: readonly [Label, string][]): void {
    const labelShare = this.language === "zh" ? 0.27 : 0.22;
    this.table(
      [
        { header: { zh: "", en: "" }, share: labelShare },
        { header: { zh: "", en: "" }, share: 1 - labelShare },
      ],
      rows.map(([label, value]) => [this.labelRuns(label, 9.5), [{ text: value, size: 10.5 }]]),
      { header: false, rules: false },
    );
  }

  /** What `heading` takes of the page. */
  headingHeight(): number {
    return HEADING_GAP + this.doc.fontSize(13).currentLineHeight(true) + 8;
  }

  /** A section's heading, kept on one page with the first `keep` points of what it heads. */
  heading(label: Label, keep: number): void {
    const { doc } = this;
    this.ensureSpace(this.headingHeight() + keep);
    doc.y += HEADING_GAP;
    const top = doc.y;
    doc.fillColor(INK).fontSize(13).text(this.say(label), this.left, top, { width: this.width });
    const y = doc.y + 2;
    if (this.language === "zh") {
      // Placed by hand, not `continued`: pdfkit would take the smaller size's line height and the rule below would
      // cut through the heading.
      const x = this.left + doc.fontSize(13).widthOfString(label.zh) + 8;
      doc
        .fillColor(MUTED)
        .fontSize(9)
        .text(label.en, x, top + 4, { width: this.left + this.width - x, height: 14, ellipsis: true });
    }
    doc
      .moveTo(this.left, y)
      .lineTo(this.left + this.width, y)
      .lineWidth(0.8)
      .strokeColor(INK)
      .stroke();
    doc.y = y + 6;
  }

  verdict(goodStanding: boolean | null): void {
    const { doc } = this;
    const { label, note, color } = verdictText(goodStanding);
    this.heading(L.verdict, 60);
    const top = doc.y;
    doc
      .fillColor(color)
      .fontSize(18)
      .text(this.say(label), this.left + 12, top, { width: this.width - 12 });
    if (this.language === "zh")
      doc
        .fillColor(MUTED)
        .fontSize(9)
        .text(label.en, { width: this.width - 12 });
    doc
      .fillColor(INK)
      .fontSize(10)
      .text(this.say(note), { width: this.width - 12 });
    doc.rect(this.left, top, 4, doc.y - top).fill(color);
    doc.x = this.left;
  }

  /** A headed table; "none" in place of an empty one, whose absence could be taken for a page lost. */
  section(label: Label, columns: readonly Column[], rows: readonly (readonly Cell[])[]): void {
    if (rows.length > 0) {
      this.table(columns, rows, { heading: label });
      return;
    }
    this.heading(label, 20);
    this.doc
      .fillColor(MUTED)
      .fontSize(10)
      .text(this.language === "zh" ? "无（None）" : "None", this.left, this.doc.y, { width: this.width });
  }

  /**
   * A table whose rows never split: a row that does not fit starts a new page, which repeats the header so each
   * page reads on its own. A row taller than a whole page (a pathological message) is cut with an ellipsis rather
   * than overflow the footer; the JSON has it whole.
   */
  table(
    columns: readonly Column[],
    rows: readonly (readonly Cell[])[],
    options: { header?: boolean; rules?: boolean; heading?: Label } = {},
  ): void {
    const { doc } = this;
    const withHeader = options.header ?? true;
    const rules = options.rules ?? true;
    const total = columns.reduce((sum, c) => sum + c.share, 0);
    const widths = columns.map((c) => (this.width * c.share) / total);
    const inner = widths.map((w) => w - 2 * CELL_PAD);
    const headerCells: Cell[] = columns.map((c) => this.labelRuns(c.header, 8.5, INK));
    const rowHeight = (cells: readonly Cell[]) =>
      Math.max(...cells.map((cell, i) => this.cellHeight(cell, inner[i] ?? 0))) + 2 * CELL_PAD;

    const drawRow = (cells: readonly Cell[], height: number, shaded: boolean) => {
      const top = doc.y;
      if (shaded) doc.rect(this.left, top, this.width, height).fill(SHADE);
      let x = this.left;
      cells.forEach((cell, i) => {
        this.drawCell(cell, x + CELL_PAD, top + CELL_PAD, inner[i] ?? 0, top + height);
        x += widths[i] ?? 0;
      });
      if (rules)
        doc
          .moveTo(this.left, top + height)
          .lineTo(this.left + this.width, top + height)
          .lineWidth(0.4)
          .strokeColor(RULE)
          .stroke();
      doc.x = this.left;
      doc.y = top + height;
    };

    const headerHeight = withHeader ? rowHeight(headerCells) : 0;
    const drawHeader = () => {
      if (withHeader) drawRow(headerCells, headerHeight, true);
    };

    // Room for a row on a fresh page, less a heading's: so a section's heading, header and first row always fit
    // on one page together.
    const pageRoom = this.bottom - doc.page.margins.top - headerHeight - this.headingHeight();
    // The heading and header only with the first row: alone at the foot of a page they read as an empty table.
    const lead = options.heading ? this.headingHeight() : 0;
    this.ensureSpace(lead + headerHeight + Math.min(rows[0] ? rowHeight(rows[0]) : 0, pageRoom));
    if (options.heading) this.heading(options.heading, 0);
    drawHeader();
    for (const cells of rows) {
      const height = Math.min(rowHeight(cells), pageRoom);
      if (doc.y + height > this.bottom) {
        doc.addPage();
        drawHeader();
      }
      drawRow(cells, height, false);
    }
    doc.fillColor(INK);
  }

  /**
   * Number and page on every page, and where the record is: a page found on its own must lead back to the signed
   * JSON. Drawn last, when the page count is known, inside the bottom margin (which pdfkit would otherwise take
   * as the end of the page and start another).
   */
  footers(number: string): void {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    const zh = this.language === "zh";
    const verify = "npm run hub -- report verify <file> --keys <keys.json>";
    const record = zh
      ? `本报告以经签名的 JSON 文件为准，可用 ${verify.replace("<file>", "<文件>")} 核验。`
      : `The signed JSON is the authoritative record; check it with ${verify}.`;
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      const margin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const top = doc.page.height - margin + 14;
      doc
        .moveTo(this.left, top)
        .lineTo(this.left + this.width, top)
        .lineWidth(0.4)
        .strokeColor(RULE)
        .stroke();
      const page = zh ? `第 ${i + 1}/${range.count} 页  Page ${i + 1}/${range.count}` : `Page ${i + 1}/${range.count}`;
      const numberLine = zh ? `${L.number.zh} ${L.number.en} ${number}` : `${L.number.en} ${number}`;
      doc.fillColor(MUTED).fontSize(8);
      doc.text(numberLine, this.left, top + 5, { width: this.width * 0.7, height: 12, ellipsis: true });
      doc.text(page, this.left + this.width * 0.7, top + 5, { width: this.width * 0.3, align: "right" });
      doc.fontSize(7.5).text(record, this.left, top + 18, { width: this.width });
      doc.page.margins.bottom = margin;
    }
  }
}

// ---- the report -----------------------------------------------------------------------------------------------

/**
 * The report as a PDF: A4, Chinese (`zh`, labels followed by their English) or English. `env` is where
 * `REPORT_FONT` is read from; an Error says what to install when no CJK font is found.
 */
export async function renderReportPdf(
  view: ReportView,
  language: ReportLanguage,
  env: Env = process.env,
): Promise<Buffer> {
  const font = await loadReportFont(env);
  const madeAt = new Date(view.madeAt);
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: { top: PAGE.margin, left: PAGE.margin, right: PAGE.margin, bottom: PAGE.bottom },
    // Footers are drawn once the page count is known.
    bufferPages: true,
    lang: language === "zh" ? "zh-CN" : "en",
    displayTitle: true,
    info: {
      Title: `${language === "zh" ? L.title.zh : L.title.en} ${view.number}`,
      Subject: view.enterprise.uscc,
      Creator: "credit-hub",
      // The report's own time, not the printing's: the same report prints to the same bytes.
      ...(Number.isNaN(madeAt.getTime()) ? {} : { CreationDate: madeAt }),
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  // One font for both scripts: WenQuanYi and Noto CJK carry Latin too, and one embedded subset keeps the file small.
  if (font.face) doc.registerFont(FONT_NAME, font.bytes, font.face);
  else doc.registerFont(FONT_NAME, font.bytes);
  doc.font(FONT_NAME);

  const w = new ReportWriter(doc, language);
  const zh = language === "zh";
  w.title(view);
  w.fields([
    [L.madeAt, shanghaiTime(view.madeAt, language)],
    [
      L.requester,
      zh ? `${view.requester.name}（${view.requester.id}）` : `${view.requester.name} (${view.requester.id})`,
    ],
    [L.enterprise, view.enterprise.name ?? (zh ? "（名录中无此企业名称）" : "(no name in the directory)")],
    [L.uscc, view.enterprise.uscc],
    [L.purpose, purposeText(view.purpose, language)],
    [
      L.consent,
      view.consent
        ? zh
          ? `${view.consent.id}，有效期至 ${shanghaiTime(view.consent.expiresAt, language)}`
          : `${view.consent.id}, valid until ${shanghaiTime(view.consent.expiresAt, language)}`
        : zh
          ? "无授权"
          : "No consent",
    ],
  ]);

  w.verdict(view.goodStanding);

  w.section(
    L.concerns,
    [
      { header: L.code, share: 0.28 },
      { header: L.owner, share: 0.2 },
      { header: L.message, share: 0.52 },
    ],
    view.concerns.map((c) => [
      [{ text: c.code, size: 8.5 }],
      [{ text: c.owner }],
      [{ text: zh ? c.message : c.messageEn }],
    ]),
  );

  w.section(
    L.programmes,
    [
      { header: L.programme, share: 0.3 },
      { header: L.eligible, share: 0.16 },
      { header: L.unmet, share: 0.54 },
    ],
    view.programmes.map((p) => [
      [{ text: p.name }],
      [{ text: w.say(eligibleText(p.eligible)), color: p.eligible === false ? "#b3261e" : INK }],
      p.unmet.length === 0
        ? [{ text: "—", color: MUTED }]
        : p.unmet.map((u) => ({ text: zh ? `• ${u.message}（${u.code}）` : `• ${u.messageEn} (${u.code})` })),
    ]),
  );

  w.section(
    L.parts,
    [
      { header: L.owner, share: 0.36 },
      { header: L.auditSeq, share: 0.14 },
      { header: L.auditHash, share: 0.24 },
      { header: L.signedAt, share: 0.26 },
    ],
    view.parts.map((p) => [
      [{ text: p.owner }],
      [{ text: p.audit.seq }],
      // Enough to find the entry in the owner's log by eye; the JSON has the whole hash, and verify checks it.
      [{ text: p.audit.hash.slice(0, 16) }],
      [{ text: shanghaiTime(p.signedAt, language, false) }],
    ]),
  );

  w.footers(view.number);
  doc.end();
  return done;
}
