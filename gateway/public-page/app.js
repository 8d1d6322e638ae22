// The public query page. Plain JavaScript, no framework, nothing from a CDN.
// It talks only to /public/graphql, which runs the hub's fixed public documents
// as an anonymous caller. Everything from the API is put in the page as text,
// never as HTML.

const TEXT = {
  zh: {
    title: "行业信用信息公示查询",
    switchTo: "English",
    colon: "：",
    aside: (text) => `（${text}）`,
    searchLabel: "统一社会信用代码或企业名称",
    searchButton: "查询",
    searchHint: "输入 18 位统一社会信用代码，或企业名称中的至少两个字。",
    footer: "信用评价结果、公开惩戒与名单信息由各行业协会商会发布；评价方法公开可查。",
    results: "查询结果",
    noResults: "没有找到名称包含该文字的企业。",
    notFound: "没有该统一社会信用代码对应的企业。",
    failed: "查询失败：",
    uscc: "统一社会信用代码",
    evaluation: "信用评价",
    noEvaluation: "暂无有效的信用评价。",
    grade: "信用等级",
    gradeCode: "等级代码",
    certificate: "证书编号",
    issuedOn: "评价日期",
    validUntil: "有效期至",
    issuer: "评价机构（行业协会商会）",
    agency: "合作第三方信用服务机构",
    methodology: "评价方法",
    viewMethodology: "查看评价方法",
    status: { VALID: "有效", EXPIRED: "已过期", VOIDED: "已撤销" },
    sanctions: "公开惩戒",
    noSanctions: "无公开惩戒记录。",
    level: "惩戒措施",
    reason: "事由",
    decidedOn: "决定日期",
    by: "作出单位",
    convention: "依据",
    lists: "红黑名单",
    noLists: "不在任何公开名单上。",
    list: { RED: "红名单", BLACK: "黑名单", WATCH: "重点关注名单" },
    enteredOn: "列入日期",
    exitEligibleOn: "可申请信用修复日期",
    disputed: "（企业已提出异议，待答复）",
    memberships: "会员资格",
    noMemberships: "暂无会员信息。",
    membership: { ACTIVE: "会员", SUSPENDED: "暂停", ENDED: "已终止" },
    joinedOn: "入会日期",
    methodologyTitle: "信用评价方法",
    version: "版本",
    publishedAt: "发布时间",
    indicators: "评价指标",
    indicator: "指标",
    code: "代码",
    weight: "权重",
    floors: "等级划分（三等九级）",
    tier: "等",
    lowestScore: "最低得分",
    levels: {
      WARNING: "警告",
      NOTICE_OF_CRITICISM: "行业内通报批评",
      PUBLIC_CONDEMNATION: "公开谴责",
      MEMBERSHIP_REVOKED: "取消会员资格",
      REPORTED_TO_AUTHORITIES: "向有关部门通报",
    },
  },
  en: {
    title: "Industry credit information — public query",
    switchTo: "中文",
    colon: ": ",
    aside: (text) => ` (${text})`,
    searchLabel: "Unified Social Credit Code or enterprise name",
    searchButton: "Search",
    searchHint: "Enter the 18-character Unified Social Credit Code, or at least two characters of the name.",
    footer:
      "Evaluation results, public sanctions and lists are published by the industry associations; the methods are public.",
    results: "Results",
    noResults: "No enterprise's name contains that text.",
    notFound: "No enterprise has that Unified Social Credit Code.",
    failed: "The query failed: ",
    uscc: "Unified Social Credit Code",
    evaluation: "Credit evaluation",
    noEvaluation: "No valid credit evaluation.",
    grade: "Grade",
    gradeCode: "Grade code",
    certificate: "Certificate number",
    issuedOn: "Evaluated on",
    validUntil: "Valid until",
    issuer: "Evaluated by (association)",
    agency: "With credit agency",
    methodology: "Methodology",
    viewMethodology: "View the methodology",
    status: { VALID: "valid", EXPIRED: "expired", VOIDED: "voided" },
    sanctions: "Public sanctions",
    noSanctions: "No public sanctions.",
    level: "Sanction",
    reason: "Reason",
    decidedOn: "Decided on",
    by: "By",
    convention: "Under",
    lists: "Red and black lists",
    noLists: "Not on any public list.",
    list: { RED: "Red list", BLACK: "Black list", WATCH: "Watch list" },
    enteredOn: "Listed on",
    exitEligibleOn: "Credit repair possible from",
    disputed: " (objected to by the enterprise; awaiting answer)",
    memberships: "Memberships",
    noMemberships: "No memberships on record.",
    membership: { ACTIVE: "member", SUSPENDED: "suspended", ENDED: "ended" },
    joinedOn: "Joined on",
    methodologyTitle: "Evaluation methodology",
    version: "Version",
    publishedAt: "Published",
    indicators: "Indicators",
    indicator: "Indicator",
    code: "Code",
    weight: "Weight",
    floors: "Grades (three tiers, nine grades)",
    tier: "Tier",
    lowestScore: "Lowest score",
    levels: {
      WARNING: "Warning",
      NOTICE_OF_CRITICISM: "Industry-wide notice of criticism",
      PUBLIC_CONDEMNATION: "Public condemnation",
      MEMBERSHIP_REVOKED: "Membership revoked",
      REPORTED_TO_AUTHORITIES: "Reported to the authorities",
    },
  },
};

const USCC = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";
const t = () => TEXT[lang];

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null) continue;
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children.flat(Number.POSITIVE_INFINITY)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function href(params) {
  const q = new URLSearchParams(params);
  if (lang === "en") q.set("lang", "en");
  return `/?${q}`;
}

async function ask(document, variables) {
  const response = await fetch("/public/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ document, variables }),
  });
  const body = await response.json();
  return body;
}

function card(title, ...content) {
  return el("div", { class: "card" }, el("h2", {}, title), ...content);
}

function facts(pairs) {
  return el(
    "dl",
    {},
    pairs
      .filter(([, v]) => v !== null && v !== undefined && v !== "")
      .map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]),
  );
}

function table(head, rows) {
  return el(
    "table",
    {},
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        head.map((h) => el("th", {}, h)),
      ),
    ),
    el(
      "tbody",
      {},
      rows.map((cells) =>
        el(
          "tr",
          {},
          cells.map((c) => el("td", {}, c)),
        ),
      ),
    ),
  );
}

function show(...nodes) {
  const view = document.getElementById("view");
  view.replaceChildren(...nodes);
}

function problem(body) {
  const message = body?.errors?.[0]?.message ?? "";
  return el("p", { class: "error" }, t().failed, message);
}

async function showSearch(q) {
  const body = await ask("search", { name: q });
  if (!body.data) return show(problem(body));
  const found = body.data.enterprises;
  if (!found.length) return show(el("p", { class: "empty", id: "no-results" }, t().noResults));
  show(
    card(
      t().results,
      table(
        [t().uscc, "", t().grade],
        found.map((e) => [
          e.uscc,
          el("a", { href: href({ uscc: e.uscc }), "data-link": "" }, e.name),
          e.evaluation?.status === "VALID" ? e.evaluation.grade : "—",
        ]),
      ),
    ),
  );
}

async function showEnterprise(uscc) {
  const body = await ask("enterprise", { uscc });
  const e = body.data?.enterprise;
  if (!e) {
    const code = body.errors?.[0]?.extensions?.code;
    return show(code === "NOT_FOUND" ? el("p", { class: "empty" }, t().notFound) : problem(body));
  }
  const x = t();
  const v = e.evaluation;
  const evaluation = v
    ? card(
        x.evaluation,
        el("div", { class: `grade tier-${v.tier}`, id: "grade" }, v.grade),
        facts([
          [x.gradeCode, v.gradeCode],
          [x.certificate, v.certificateNumber],
          [x.issuedOn, v.issuedOn],
          [x.validUntil, `${v.validUntil}${x.aside(x.status[v.status])}`],
          [x.issuer, v.association?.name],
          [x.agency, v.agency?.name],
          [
            x.methodology,
            el(
              "a",
              { href: href({ methodology: v.methodology.id }), "data-link": "", id: "methodology-link" },
              `${v.methodology.title} · ${x.version} ${v.methodology.version}`,
            ),
          ],
        ]),
      )
    : card(x.evaluation, el("p", { class: "empty" }, x.noEvaluation));
  const sanctions = card(
    x.sanctions,
    e.sanctions.length
      ? table(
          [x.level, x.reason, x.decidedOn, x.by, x.convention],
          e.sanctions.map((s) => [
            el("span", { class: "badge sanction" }, x.levels[s.level] ?? s.level),
            s.reason,
            s.decidedOn,
            s.association?.name,
            s.convention ? `${s.convention.title} v${s.convention.version}${s.clause ? ` ${s.clause}` : ""}` : "",
          ]),
        )
      : el("p", { class: "empty" }, x.noSanctions),
  );
  sanctions.id = "sanctions";
  const lists = card(
    x.lists,
    e.listEntries.length
      ? table(
          ["", x.reason, x.enteredOn, x.exitEligibleOn, x.by],
          e.listEntries.map((l) => [
            el("span", { class: `badge ${l.list}` }, x.list[l.list] ?? l.list),
            `${l.reason}${l.disputed ? x.disputed : ""}`,
            l.enteredOn,
            l.exitEligibleOn ?? "—",
            l.association?.name,
          ]),
        )
      : el("p", { class: "empty" }, x.noLists),
  );
  const memberships = card(
    x.memberships,
    e.memberships.length
      ? table(
          [x.by, "", x.joinedOn],
          e.memberships.map((m) => [m.association?.name, x.membership[m.status] ?? m.status, m.joinedOn]),
        )
      : el("p", { class: "empty" }, x.noMemberships),
  );
  show(
    el("h1", { id: "enterprise-name" }, e.name),
    el("p", { class: "hint" }, `${x.uscc}${x.colon}${e.uscc}`),
    evaluation,
    sanctions,
    lists,
    memberships,
  );
}

async function showMethodology(id) {
  const body = await ask("methodology", { id });
  const m = body.data?.evaluationMethodology;
  if (!m) return show(problem(body));
  const x = t();
  show(
    el("h1", { id: "methodology-title" }, `${x.methodologyTitle}${x.colon}${m.title}`),
    facts([
      [x.issuer, m.association?.name],
      [x.version, String(m.version)],
      [x.publishedAt, m.publishedAt.slice(0, 10)],
    ]),
    card(
      x.indicators,
      table(
        [x.code, x.indicator, x.weight],
        m.indicators.map((i) => [
          i.code,
          i.description ? `${i.name} — ${i.description}` : i.name,
          `${Math.round(i.weight * 1000) / 10}%`,
        ]),
      ),
    ),
    card(
      x.floors,
      table(
        [x.grade, x.gradeCode, x.tier, x.lowestScore],
        m.gradeFloors.map((f) => [f.grade, f.code, f.tier, String(f.lowestScore)]),
      ),
    ),
  );
}

function translateStatic() {
  const x = t();
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.title = x.title;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = x[node.dataset.i18n];
  document.getElementById("lang").textContent = x.switchTo;
}

async function route() {
  translateStatic();
  const params = new URLSearchParams(location.search);
  const q = params.get("q")?.trim();
  const input = document.getElementById("q");
  try {
    if (params.get("uscc")) {
      input.value = params.get("uscc");
      await showEnterprise(params.get("uscc"));
    } else if (params.get("methodology")) await showMethodology(params.get("methodology"));
    else if (q) {
      input.value = q;
      const code = q.toUpperCase();
      await (USCC.test(code) ? showEnterprise(code) : showSearch(q));
    } else show();
  } catch (error) {
    show(el("p", { class: "error" }, t().failed, String(error?.message ?? error)));
  }
}

function go(url) {
  history.pushState(null, "", url);
  route();
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("search").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = document.getElementById("q").value.trim();
    if (q) go(href({ q }));
  });
  document.getElementById("lang").addEventListener("click", () => {
    lang = lang === "en" ? "zh" : "en";
    const params = new URLSearchParams(location.search);
    if (lang === "en") params.set("lang", "en");
    else params.delete("lang");
    go(`/?${params}`);
  });
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[data-link]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    go(link.getAttribute("href"));
  });
  window.addEventListener("popstate", route);
  route();
});
