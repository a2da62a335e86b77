// The report view: facts, proposed facts, uploads and export; sections live in editor.js, the
// chat in chat.js.
import { api, upload } from "./api.js";
import { $, figure, h, sectionName } from "./dom.js";
import { loadChat } from "./chat.js";
import { ctx, loadSections } from "./editor.js";
import { loadOutline, saveOutline } from "./outline.js";
import { showRoundtrip } from "./roundtrip.js";
import { deleteUploadButton } from "./uploads.js";
import { sourceLabel } from "./sources.js"; // "chat:12" in words (issue 15)
import "./ocr_marks.js"; // text read by OCR marked 识别文字 in the uploads and facts (issue 19)

export async function openReport(id, me) {
  ctx.me = me;
  ctx.id = id;
  ctx.section = null;
  $("#section-editor").hidden = true;
  $("#chat-log").replaceChildren();
  $("#citation-source").replaceChildren();
  $("#review-status").textContent = "";
  $("#upload-status").textContent = "";
  $("#upload-progress").value = 0;
  $("#export-draft").href = `/api/v1/reports/${id}/export.docx?draft=1`;
  await refreshReport();
  await Promise.all([loadFacts(), loadUploads(), loadChat(id)]);
}

$("#save-outline").addEventListener("click", async () => {
  if (await saveOutline(ctx.id)) await refreshReport(); // renamed headings show in the list
});

export async function refreshReport() {
  const r = await api(`/reports/${ctx.id}`);
  ctx.report = r;
  $("#report-title").textContent = r.title || `报告 ${r.id}`;
  loadSections(r);
  exportState(r);
  showRoundtrip(Boolean(ctx.me && (ctx.me.role === "admin" || r.owner === ctx.me.username)));
  // 上传材料 only for who may upload (the drafter, admins): a reviewer saw an empty panel (issue 15).
  $("#uploads-panel").hidden = !(ctx.me && (ctx.me.role === "admin" || r.owner === ctx.me.username));
  document.dispatchEvent(new CustomEvent("report-loaded", { detail: r })); // review.js
}

async function exportState(r) {
  // The server's gate decides (approvals and unresolved errors); asking it exports nothing.
  const link = $("#export-docx");
  let reason = "";
  try {
    const gate = await api(`/reports/${r.id}/export-status`);
    if (!r.sections.length) reason = "报告还没有任何部分";
    else if (gate.unapproved.length) {
      reason = `尚有 ${gate.unapproved.length} 个部分未批准：`
        // each name quoted: 一、主要工作 carries its own 、, so a bare 、-list misreads
        + gate.unapproved.map((u) => `“${sectionName({ id: u.section, heading: u.heading })}”`).join("");
    }
    if (gate.blocking.length) {
      reason += (reason ? "；" : "") + `${gate.blocking.length} 个错误待处理`;
    }
  } catch (e) {
    reason = `无法确认能否导出：${e.message}`;
  }
  if (reason) {
    link.removeAttribute("href");
    link.setAttribute("aria-disabled", "true");
    link.tabIndex = 0;
  } else {
    link.href = `/api/v1/reports/${r.id}/export.docx`;
    link.removeAttribute("aria-disabled");
  }
  $("#export-reason").textContent = reason;
}

// ---- facts ----
function factRow(f = { key: "", value: "", unit: "", note: "" }) {
  // title: the whole value on hover, where the column is narrower than a long name (issue 15)
  const cell = (cls, v, label) => h("td", {}, h("input", { class: cls, value: v == null ? "" : String(v), title: v == null ? "" : String(v), "aria-label": label }));
  // pagefix: the name and the value wrap onto more lines instead of being cut (a one-line
  // textarea that grows with its text; Enter does not add a line break to a fact).
  const wrap = (cls, v, label) => {
    const t = h("textarea", { class: `${cls} fact-wrap`, rows: "1", title: v == null ? "" : String(v), "aria-label": label });
    t.value = v == null ? "" : String(v);
    t.addEventListener("keydown", (e) => { if (e.key === "Enter") e.preventDefault(); });
    t.addEventListener("input", () => { t.title = t.value; });
    return h("td", {}, t);
  };
  const tr = h("tr", { "data-fact-key": f.key },
    wrap("fact-key", f.key, "名称"), wrap("fact-value", f.value, "数值"),
    cell("fact-unit", f.unit, "单位"), cell("fact-note", f.note, "备注"),
    h("td", {}, h("button", { type: "button", class: "del-fact", text: "删除", "aria-label": "删除这一行", onclick: () => tr.remove() })));
  if (f.source) tr.dataset.source = f.source;
  tr.querySelector(".fact-key").addEventListener("input", (e) => { tr.dataset.factKey = e.target.value.trim(); });
  return tr;
}

export async function loadFacts() {
  const data = await api(`/reports/${ctx.id}/facts`);
  ctx.meta = data.report;
  $("#facts-table tbody").replaceChildren(...data.confirmed.map(factRow));
  loadOutline(ctx.id); // the outline places the facts just read
  const list = $("#proposed-facts");
  list.replaceChildren();
  if (!data.proposed.length) list.append(h("li", { class: "muted", text: "暂无。" }));
  for (const f of data.proposed) {
    const decide = (confirm) => decideFact(f.id, confirm);
    list.append(h("li", { "data-fact-id": String(f.id), "data-source": f.source || null },
      h("span", { text: `${f.key}：${figure(f.value, f.unit)}` }),
      h("small", { class: "muted", text: ` 来源：${sourceLabel(f.source)}${f.origin ? "（" + f.origin + "）" : ""}` }),
      h("button", { type: "button", class: "confirm-fact", text: "确认", onclick: () => decide(true) }),
      h("button", { type: "button", class: "reject-fact", text: "拒绝", onclick: () => decide(false) })));
  }
}

// Confirm a proposed fact into the sheet, or drop it (here and from the chat); true when done.
export async function decideFact(id, confirm) {
  try {
    if (confirm) await api(`/reports/${ctx.id}/facts/${id}/confirm`, { method: "POST" });
    else await api(`/reports/${ctx.id}/facts/${id}`, { method: "DELETE" });
  } catch (err) {
    $("#facts-status").textContent = err.message;
    return false;
  }
  await loadFacts();
  return true;
}

$("#add-fact").addEventListener("click", () => {
  const tr = factRow();
  $("#facts-table tbody").append(tr);
  tr.querySelector(".fact-key").focus();
});

$("#save-facts").addEventListener("click", async () => {
  const facts = [];
  for (const tr of $("#facts-table tbody").rows) {
    const get = (c) => tr.querySelector(c).value.trim();
    if (!get(".fact-key")) continue;
    const raw = get(".fact-value");
    const f = { key: get(".fact-key"), value: raw !== "" && !isNaN(Number(raw)) ? Number(raw) : raw, unit: get(".fact-unit"), note: get(".fact-note") };
    if (tr.dataset.source) f.source = tr.dataset.source;
    facts.push(f);
  }
  const status = $("#facts-status");
  try {
    await api(`/reports/${ctx.id}/facts`, { method: "PUT", body: { report: ctx.meta, facts } });
    status.textContent = "事实表已保存。";
    await loadFacts();
  } catch (err) { status.textContent = err.message; }
});

// ---- uploads ----
async function loadUploads() {
  const docs = await api(`/documents?report_id=${ctx.id}`);
  $("#uploads-list").replaceChildren(...docs.map((d) =>
    h("li", { "data-upload-id": String(d.id) },
      h("span", { text: `${d.filename}（${d.kind}，${d.chunks} 段）` }),
      deleteUploadButton(d, loadUploads, loadFacts))));
  document.dispatchEvent(new CustomEvent("uploads-loaded", { detail: docs })); // ocr_marks.js: 识别文字
}

$("#upload-file").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  const status = $("#upload-status");
  const bar = $("#upload-progress");
  const form = new FormData();
  // getRandomValues, not randomUUID: the page is often served over plain HTTP on an intranet.
  const token = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
  form.append("report_id", String(ctx.id));
  form.append("progress", token);
  form.append("file", file);
  status.textContent = `正在上传 ${file.name}…`;
  bar.value = 0;
  let poll = null;
  try {
    const r = await upload(form, (p) => {
      bar.value = Math.round(p * 100);
      if (p >= 1 && !poll) poll = setInterval(() => showReading(token, file.name, status, bar), 1000);
    });
    clearInterval(poll);
    bar.value = 100;
    const n = (r.proposed_facts || []).length;
    status.textContent = `已上传 ${r.filename}` + (n ? `，识别出 ${n} 条待确认的事实` : "");
    await loadUploads();
    if (n) await loadFacts();
  } catch (err) {
    status.textContent = `上传失败：${err.message}`;
  } finally {
    clearInterval(poll);
    e.target.value = "";
  }
});

// A scan is read by OCR page by page (seconds a page): say how far it has got.
async function showReading(token, name, status, bar) {
  try {
    const p = await api(`/documents/progress/${token}`);
    if (p.finished || !p.pages) return;
    status.textContent = `正在识别 ${name}（OCR）：第 ${Math.min(p.pages_done + 1, p.pages)} / ${p.pages} 页…`;
    bar.value = Math.round((100 * p.pages_done) / p.pages);
  } catch { /* no news yet */ }
}
