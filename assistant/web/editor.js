// Sections: list, the annotated text (citations, numbers, proofreading), edit, draft,
// version history and review.
import { api, stream } from "./api.js";
import { changesView } from "./diff.js";
import { explain } from "./messages.js";
import { $, h, STATUS, sectionName } from "./dom.js";
import { refreshReport } from "./report.js";

// base: the number of the section's current version when its text was put in the editor; every
// save, draft and restore names it, so a change someone else made meanwhile is a 409, not lost.
export const ctx = { me: null, id: 0, report: null, meta: null, section: null, version: null, base: 0 };

export function loadSections(report) {
  const list = $("#sections-list");
  list.replaceChildren(...report.sections.map((s) => {
    const v = s.current_version;
    const btn = h("button", { type: "button", class: "link", onclick: () => openSection(s.id) },
      h("span", { text: sectionName(s) }),
      h("span", { class: `status status-${s.status}`, text: STATUS[s.status] || s.status }),
      h("small", { class: "engine muted", text: v ? v.engine_label : "" }));
    const li = h("li", { "data-section-id": s.id }, btn);
    if (ctx.section === s.id) li.classList.add("current");
    return li;
  }));
  $("#draft-all").hidden = !(ctx.me && (ctx.me.role === "admin" || report.owner === ctx.me.username));
}

// 整篇起草: the whole report through the chat, which shows each part's progress and issues
// and can be stopped; parts someone wrote or approved are kept (the chat asks first).
$("#draft-all").addEventListener("click", () => {
  const input = $("#chat-input");
  input.value = "整篇起草";
  $("#chat-form").requestSubmit();
});

// keepText: show the latest state but leave what the user typed in the editor alone.
export async function openSection(sid, versionId, { keepText = false } = {}) {
  const s = ctx.report.sections.find((x) => x.id === sid);
  if (!s) return;
  ctx.section = sid;
  for (const li of $("#sections-list").children) li.classList.toggle("current", li.dataset.sectionId === sid);
  $("#section-editor").hidden = false;
  $("#section-heading").textContent = sectionName(s);
  $("#review-section").textContent = `当前部分：${sectionName(s)}（${STATUS[s.status] || s.status}）`;
  $("#section-status").textContent = "";
  // pagefix: a review outcome belongs to the section it was given on; another section clears it
  const reviewed = $("#review-status");
  if (reviewed.dataset.section !== sid) { reviewed.textContent = ""; reviewed.className = ""; delete reviewed.dataset.section; }
  $("#citation-source").replaceChildren();
  const vid = versionId || (s.current_version && s.current_version.id);
  ctx.version = vid ? await api(`/reports/${ctx.id}/sections/${sid}/versions/${vid}`) : null;
  const v = ctx.version;
  $("#engine-label").textContent = v ? v.engine_label || v.engine : "尚未起草";
  renderText(v);
  if (!keepText) $("#section-edit").value = v ? v.text : "";
  ctx.base = s.current_version ? s.current_version.version : 0;
  await loadVersions(sid);
  document.dispatchEvent(new CustomEvent("section-opened", { detail: { sid } })); // review.js
}

// ---- the annotated text ----
const NUM = /\d+(?:[.,]\d+)*(?:%|％)?/g;

function layers(v) {
  const text = v.text;
  const gr = v.issues.filter((i) => i.rule.startsWith("GR"));
  const nums = gr.map((i) => ({ start: i.start, end: i.end, kind: "bad", issue: i }));
  for (const m of text.matchAll(NUM)) {
    const a = m.index, b = a + m[0].length;
    if (!gr.some((i) => i.start < b && a < i.end)) nums.push({ start: a, end: b, kind: "ok" });
  }
  return [
    v.citations.map((c) => ({ ...c, kind: "cite", cite: c })),
    v.issues.filter((i) => !i.rule.startsWith("GR")).map((i) => ({ start: i.start, end: i.end, kind: "issue", issue: i })),
    nums,
  ];
}

function renderRange(text, a, b, levels, depth) {
  if (depth >= levels.length) return [text.slice(a, b)];
  const out = [];
  let pos = a;
  const items = levels[depth].filter((r) => r.start >= a && r.end <= b && r.end > r.start).sort((x, y) => x.start - y.start);
  for (const r of items) {
    if (r.start < pos) continue; // overlaps the previous one at this level
    if (r.start > pos) out.push(...renderRange(text, pos, r.start, levels, depth + 1));
    out.push(...wrap(r, renderRange(text, r.start, r.end, levels, depth + 1)));
    pos = r.end;
  }
  if (pos < b) out.push(...renderRange(text, pos, b, levels, depth + 1));
  return out;
}

function wrap(r, kids) {
  if (r.kind === "cite") {
    const span = h("span", { class: "citation", tabindex: "0", role: "button", title: `出处：${r.cite.refs.join("、")}`, "aria-label": `出处 ${r.cite.refs.join("、")}` }, kids);
    const go = () => showSource(r.cite, span);
    span.addEventListener("click", go);
    span.addEventListener("mouseenter", go);
    span.addEventListener("focus", go);
    span.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
    return [span];
  }
  if (r.kind === "ok") return [h("span", { class: "num-ok", title: "有出处" }, kids)];
  const i = r.issue;
  if (r.kind === "bad") return [h("span", { class: "num-bad", title: `${i.rule} ${i.message}` }, kids)];
  const tip = `${i.category}：${i.message}` + (i.suggestion ? `；建议：${i.suggestion}` : "");
  const out = [h("span", { class: `issue sev-${i.severity}`, title: tip, "data-rule": i.rule }, kids)];
  // Only proofreading suggestions are replacement text; grounding, citation and pending-fact
  // (CH) advice is not: "改为“在事实表中确认后……”" would write the advice into the report.
  const fixable = i.suggestion && !i.suggestion.includes("…") && !/^(GR|CI|DR|CH)/.test(i.rule);
  if (fixable) {
    out.push(h("button", { type: "button", class: "apply-fix", title: `改为“${i.suggestion}”`, text: `改为“${i.suggestion}”`, onclick: () => applyFix(i) }));
  }
  return out;
}

function renderText(v) {
  const box = $("#section-text");
  if (!v) { box.replaceChildren(h("p", { class: "muted", text: "本部分还没有内容。" })); return; }
  box.replaceChildren(...renderRange(v.text, 0, v.text.length, layers(v), 0));
}

function applyFix(i) {
  const ta = $("#section-edit");
  let t = ta.value;
  if (t.slice(i.start, i.end) === i.text) t = t.slice(0, i.start) + i.suggestion + t.slice(i.end);
  else if (t.includes(i.text)) t = t.replace(i.text, i.suggestion);
  else return;
  ta.value = t;
  ta.focus();
  $("#section-status").textContent = `已把“${i.text}”改为“${i.suggestion}”，保存后生效。`;
}

async function showSource(c, span) {
  for (const el of document.querySelectorAll(".citation.active")) el.classList.remove("active");
  span.classList.add("active");
  const box = $("#citation-source");
  const prov = (ctx.version && ctx.version.provenance) || {};
  const parts = [];
  for (const [n, t] of c.targets.entries()) {
    const ref = c.refs[n] || "";
    if (t.startsWith("fact:")) {
      const key = t.slice(5);
      const f = ctx.report.facts.find((x) => x.key === key);
      parts.push(h("p", {}, h("b", { text: `${ref} 事实：` }), h("mark", { text: f ? `${f.key}：${f.value}${f.unit || ""}${f.note ? "（" + f.note + "）" : ""}` : key })));
    } else {
      const p = (prov.passages || []).find((x) => x.label === ref || `chunk:${x.chunk_id}` === t);
      parts.push(await passage(ref, p, c.sentence));
    }
  }
  box.replaceChildren(...parts);
}

async function passage(ref, p, sentence) {
  if (!p) return h("p", { text: `${ref}：找不到这段材料。` });
  const head = h("b", { text: `${ref} ${p.title}${p.heading ? " · " + p.heading : ""}：` });
  // Text read by OCR from a scan is shown as such: a character may be misread.
  const ocr = p.ocr_page
    ? h("span", { class: "ocr-note", text: `（扫描件第${p.ocr_page}页，文字由 OCR 识别，请核对原件）` })
    : "";
  const q = new URLSearchParams({ q: sentence.slice(0, 200), k: "1", doc_id: p.doc_id, per_doc: "0" });
  if (p.kb === "corpus") q.set("kb", "corpus"); else q.set("report_id", String(ctx.id));
  try {
    const hits = await api(`/search?${q}`);
    if (!hits.length) return h("p", {}, head, ocr, "（原文不可用）");
    return h("p", {}, head, ocr, ...highlight(hits[0].text, sentence));
  } catch {
    return h("p", {}, head, ocr, "（原文不可用）");
  }
}

// Mark the numbers and shared words of the sentence in the passage.
function highlight(text, sentence) {
  const nums = new Set((sentence.match(NUM) || []));
  const out = [];
  let pos = 0;
  for (const m of text.matchAll(NUM)) {
    if (!nums.has(m[0])) continue;
    out.push(text.slice(pos, m.index), h("mark", { text: m[0] }));
    pos = m.index + m[0].length;
  }
  out.push(text.slice(pos));
  return out.length > 1 ? out : [h("mark", { text })];
}

// ---- versions ----
async function loadVersions(sid) {
  const list = $("#versions-list");
  const versions = await api(`/reports/${ctx.id}/sections/${sid}/versions`);
  const current = versions.length ? versions[0].version : 0;
  const writable = ctx.me && (ctx.me.role === "admin" || ctx.report.owner === ctx.me.username);
  list.replaceChildren(...versions.map((v) => {
    const s = v.issues_summary || {};
    const restore = writable && v.version !== current
      ? h("button", { type: "button", class: "restore-version", text: "恢复此版本", title: `把第 ${v.version} 版的文字存为新的一版`, onclick: () => restoreVersion(sid, v) })
      : null;
    return h("li", { "data-version-id": String(v.id) },
      h("button", { type: "button", class: "link", onclick: () => openSection(sid, v.id),
        text: `第 ${v.version} 版 · ${v.engine_label} · ${v.author} · ${new Date(v.created_at).toLocaleString("zh-CN")} · 错误 ${s.errors || 0} 警告 ${s.warnings || 0}` }),
      restore,
      changesView(v));
  }));
}

async function restoreVersion(sid, v) {
  const status = $("#section-status");
  try {
    const r = await api(`/reports/${ctx.id}/sections/${sid}/versions/${v.id}/restore`, { method: "POST", body: { base_version: ctx.base } });
    await afterChange(r.version_id);
    status.textContent = r.unchanged
      ? `第 ${v.version} 版与当前第 ${r.version} 版相同，未另存新版本。`
      : `已把第 ${v.version} 版恢复为第 ${r.version} 版（错误 ${r.summary.errors}，警告 ${r.summary.warnings}）。`;
  } catch (err) { failed(err, "恢复失败"); }
}

// ---- save, draft ----
async function afterChange(vid) {
  await refreshReport();
  await openSection(ctx.section, vid);
}

// A 409 because someone else changed the section: say so, keep the user's text in the editor,
// and offer to show the latest version beside it (which makes that version the new base).
function conflict(message) {
  const status = $("#section-status");
  const sid = ctx.section;
  status.replaceChildren(
    h("span", { class: "error", text: `${message}。您的文字仍在编辑框中，未丢失。` }),
    h("button", { type: "button", class: "show-latest", text: "查看最新版本", onclick: async () => {
      await refreshReport();
      await openSection(sid, undefined, { keepText: true });
      status.textContent = `已显示最新的第 ${ctx.base} 版；编辑框里仍是您的文字，确认后可再保存。`;
    } }));
}

function failed(err, what) {
  if (err.status === 409 && err.detail && err.detail.code === "stale_base") conflict(err.detail.message);
  else $("#section-status").textContent = `${what}：${err.message}`;
}

$("#save-section").addEventListener("click", async () => {
  if (!ctx.section) return;
  const status = $("#section-status");
  try {
    const r = await api(`/reports/${ctx.id}/sections/${ctx.section}`, { method: "PUT", body: { text: $("#section-edit").value, base_version: ctx.base } });
    await afterChange(r.version_id);
    status.textContent = r.unchanged
      ? `内容与当前第 ${r.version} 版相同，未另存新版本。`
      : `已保存为第 ${r.version} 版（错误 ${r.summary.errors}，警告 ${r.summary.warnings}）。`;
  } catch (err) { failed(err, "保存失败"); }
});

// Asks before a redraft replaces a person's text or an approved one (the API's 409).
function confirmOverwrite(detail) {
  const why = (detail.sections || []).map((s) => s.reason).join("；");
  return window.confirm(`${why}。\n重新起草会生成新的一版取代它（旧版本仍可在版本历史中恢复）。确定重新起草吗？`);
}

async function draftOnce(sid, body, box, status) {
  let done = null;
  box.replaceChildren();
  box.classList.add("streaming");
  status.textContent = "正在起草…";
  try {
    await stream(`/reports/${ctx.id}/sections/${sid}/draft`, body, (name, data) => {
      if (name === "token") box.append(data.text || "");
      else if (name === "done") done = data;
      else if (name === "error" && data.status === 409) conflict(data.detail);
      else if (name === "error") status.textContent = `起草失败：${explain(data.status || 500, data.detail, data.code)}`;
    });
  } finally {
    box.classList.remove("streaming");
  }
  return done;
}

$("#draft-section").addEventListener("click", async () => {
  if (!ctx.section) return;
  const sid = ctx.section;
  const box = $("#section-text");
  const btn = $("#draft-section");
  const status = $("#section-status");
  const body = { base_version: ctx.base };
  btn.disabled = true;
  let done = null;
  try {
    done = await draftOnce(sid, body, box, status);
  } catch (err) {
    if (err.status === 409 && err.detail && err.detail.code === "confirm_overwrite") {
      renderText(ctx.version);
      if (confirmOverwrite(err.detail)) {
        try { done = await draftOnce(sid, { ...body, overwrite: true }, box, status); }
        catch (again) { failed(again, "起草失败"); }
      } else status.textContent = "已取消重新起草，当前版本没有改动。";
    } else failed(err, "起草失败");
  }
  btn.disabled = false;
  if (done) {
    await afterChange(done.version_id);
    status.textContent = done.unchanged
      ? `重新起草的结果与当前第 ${done.version} 版相同，未另存新版本。`
      : `已起草第 ${done.version} 版（${done.engine_label}）。`;
  } else if (ctx.section === sid) renderText(ctx.version);
});

// ---- review ----
async function review(action) {
  const status = $("#review-status");
  if (!ctx.section) { status.textContent = "请先选择一个部分。"; return; }
  status.dataset.section = ctx.section; // the outcome below is this section's (openSection)
  const body = { action, comment: $("#review-comment").value, override_reason: $("#override-reason").value };
  if (ctx.version) body.version_id = ctx.report.sections.find((s) => s.id === ctx.section).current_version?.id ?? ctx.version.id;
  try {
    const r = await api(`/reports/${ctx.id}/sections/${ctx.section}/review`, { method: "POST", body });
    status.textContent = `${sectionName(r)}：${STATUS[r.status] || r.status}`;
    status.className = r.status === "changes_requested" ? "" : "ok"; // 需修改 is no success colour
    $("#review-comment").value = "";
    $("#override-reason").value = "";
    await afterChange();
  } catch (err) {
    status.textContent = err.message; // Chinese, saying what to do (messages.js)
    status.className = "error";
  }
}
$("#submit-section").addEventListener("click", () => review("submit"));
$("#approve-section").addEventListener("click", () => review("approve"));
$("#request-changes").addEventListener("click", () => review("request_changes"));
