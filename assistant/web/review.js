// Review people can follow: the controls a role may use (body classes can-write / can-review,
// which style.css turns into shown or hidden), the reviewer's comments shown to the drafter on
// the section and in a list for the report, and the whole-report actions 全部提交审核 (the
// drafter) and 全部批准 (a reviewer), whose per-section outcomes are listed with their reasons.
// The server decides every right again; hiding a control only spares the user a refusal.
import { api } from "./api.js";
import { $, h } from "./dom.js";
import { ctx, openSection } from "./editor.js";
import { explainOutcome } from "./messages.js";
import { refreshReport } from "./report.js";

let decisions = Promise.resolve([]); // the report's review decisions, oldest first
let shownFor = 0; // the report the whole-report outcomes were shown for

// What the signed-in user may do on this report: write (the owner, an admin) and review (a
// reviewer named on it, an admin). Anyone else who can see it only reads.
export function rights(report, me) {
  const admin = !!me && me.role === "admin";
  const name = me ? me.username : "";
  return { write: admin || report.owner === name, review: admin || (report.reviewers || []).includes(name) };
}

function applyRole(report) {
  const r = rights(report, ctx.me);
  document.body.classList.toggle("can-write", r.write);
  document.body.classList.toggle("can-review", r.review);
  let note = "";
  if (r.write && r.review) note = "您可以编辑、提交审核，也可以审核本报告。";
  else if (r.write) note = `您是本报告的起草人：编辑后提交审核，由审核人（${(report.reviewers || []).join("、") || "尚未指定"}）批准。`;
  else if (r.review) note = "您是本报告的审核人：可以批准或退回修改（退回时请写明审核意见），不能修改正文。";
  else note = "您只能查看本报告。";
  $("#role-note").textContent = note;
}

function when(iso) {
  return new Date(iso).toLocaleString("zh-CN");
}

// The reviewer's words in quotation marks, unless they already open with one (““…” doubled).
function quoted(text) {
  return /^[“"「『]/.test(text || "") ? h("span", { class: "comment-text", text }) : h("q", { text });
}

function commentItem(d, { withSection }) {
  const who = `${d.username} 退回修改 · 第 ${d.version_number} 版 · ${when(d.created_at)}`;
  return h("li", { class: "comment", "data-section-id": d.section },
    withSection ? h("button", { type: "button", class: "link open-commented", text: `${d.heading}：`, onclick: () => openSection(d.section) }) : null,
    quoted(d.comment),
    h("small", { class: "muted", text: ` ${who}` }));
}

async function loadComments(report) {
  decisions = api(`/reports/${report.id}/reviews`).catch(() => []);
  const all = await decisions;
  if (ctx.report !== report) return; // another report opened meanwhile
  const open = all.filter((d) => d.open);
  const list = $("#open-comments");
  list.replaceChildren(...open.map((d) => commentItem(d, { withSection: true })));
  if (!open.length) list.append(h("li", { class: "muted", text: "暂无待处理的审核意见。" }));
  // The sections list says which sections have a comment to act on.
  for (const d of open) {
    const li = $(`#sections-list li[data-section-id="${CSS.escape(d.section)}"]`);
    if (li && !li.querySelector(".has-comment")) li.querySelector("button").append(h("small", { class: "has-comment", text: "有审核意见" }));
  }
  if (ctx.section) await showSectionComments(ctx.section);
}

async function showSectionComments(sid) {
  const all = await decisions;
  const box = $("#section-comments");
  if (ctx.section !== sid) return;
  const mine = all.filter((d) => d.section === sid && d.comment);
  const open = mine.filter((d) => d.open);
  const earlier = mine.filter((d) => !d.open);
  const parts = [];
  if (open.length) {
    const r = rights(ctx.report, ctx.me);
    parts.push(h("p", { class: "comments-head", text: "审核意见（需修改）：" }),
      h("ul", { class: "list" }, open.map((d) => commentItem(d, { withSection: false }))));
    if (r.write) parts.push(h("p", { class: "note", text: "请按意见修改正文并保存，再提交审核（或点“全部提交审核”）。" }));
  }
  if (earlier.length) {
    parts.push(h("details", { class: "earlier-comments" },
      h("summary", { text: `以往的审核意见（${earlier.length} 条）` }),
      h("ul", { class: "list" }, earlier.map((d) => h("li", {},
        quoted(d.comment),
        h("small", { class: "muted", text: ` ${d.username} · ${ACTION[d.action] || "审核"} · 第 ${d.version_number} 版 · ${when(d.created_at)}` }))))));
  }
  box.replaceChildren(...parts);
}
const ACTION = { submit: "提交审核", approve: "批准", request_changes: "退回修改" };

// ---- 全部提交审核 / 全部批准 ----
const DONE = { done: "已完成", refused: "未通过", skipped: "无需处理" };

async function reviewAll(action, button) {
  const box = $("#review-all-result");
  const verb = action === "submit" ? "全部提交审核" : "全部批准";
  // The versions on screen: a section changed since is refused, never decided unseen.
  const versions = Object.fromEntries(ctx.report.sections.filter((s) => s.current_version)
    .map((s) => [s.id, s.current_version.id]));
  button.disabled = true;
  box.replaceChildren(h("li", { class: "muted", text: `正在${verb}…` }));
  try {
    const r = await api(`/reports/${ctx.id}/${action}-all`, { method: "POST", body: { versions } });
    box.replaceChildren(
      h("li", { class: "summary", text: `${verb}：完成 ${r.done} 个，未通过 ${r.refused} 个，无需处理 ${r.skipped} 个。` }),
      ...r.sections.map((o) => h("li", { class: `outcome outcome-${o.outcome}`, "data-section-id": o.section },
        h("b", { text: `${o.heading}：` }),
        h("span", { class: "outcome-label", text: o.outcome === "done" ? o.message || DONE.done : `${DONE[o.outcome]}——` }),
        h("span", { text: o.outcome === "done" ? "" : explainOutcome(o) }))));
    await refreshReport();
    if (ctx.section) await openSection(ctx.section);
  } catch (err) {
    box.replaceChildren(h("li", { class: "error", text: `${verb}失败：${err.message}` }));
  } finally {
    button.disabled = false;
  }
}

$("#submit-all").addEventListener("click", (e) => reviewAll("submit", e.currentTarget));
$("#approve-all").addEventListener("click", (e) => reviewAll("approve", e.currentTarget));

document.addEventListener("report-loaded", (e) => {
  if (shownFor !== e.detail.id) $("#review-all-result").replaceChildren();
  shownFor = e.detail.id;
  applyRole(e.detail);
  loadComments(e.detail);
});
document.addEventListener("section-opened", (e) => { showSectionComments(e.detail.sid); });
