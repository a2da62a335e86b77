// A report's numbered parts (一、二、…) added, removed, renamed and moved (issue 15), under the
// section list, for the report's drafter and admins only. Every change names the structure it was
// made from (its etag), so a change someone else made meanwhile is refused, not overwritten; the
// server numbers the headings by position, the page only shows what it answered.
import { api } from "./api.js";
import { $, h } from "./dom.js";
import { ctx } from "./editor.js";
import { loadOutline } from "./outline.js";
import { refreshReport } from "./report.js";

const state = { report: 0, etag: "", parts: [] };

// The same rule as the server's (the report's drafter, or an admin); the server checks again.
function mayChange(r) {
  const me = ctx.me;
  return Boolean(me && (me.role === "admin" || r.owner === me.username));
}

document.addEventListener("report-loaded", async (e) => {
  const r = e.detail;
  const box = $("#structure-box");
  if (!box) return;
  const allowed = mayChange(r);
  box.hidden = !allowed;
  if (!allowed) return;
  if (state.report !== r.id) $("#structure-status").textContent = "";
  state.report = r.id;
  try {
    render(await api(`/reports/${r.id}/structure`));
  } catch (err) {
    $("#structure-status").textContent = `读取报告结构失败：${err.message}`;
  }
});

function render(st) {
  state.etag = st.etag;
  state.parts = st.sections.filter((s) => s.numbered);
  const kinds = $("#structure-kind");
  if (!kinds.options.length) {
    for (const k of st.kinds) kinds.append(h("option", { value: k.kind, text: k.label }));
  }
  const n = state.parts.length;
  $("#structure-list").replaceChildren(...state.parts.map((p, i) => h("li", { "data-part-id": p.id },
    h("span", { class: "part-heading", text: p.heading }),
    h("button", { type: "button", class: "part-up", text: "上移", disabled: i === 0, "aria-label": `上移“${p.heading}”`, onclick: () => move(i, -1) }),
    h("button", { type: "button", class: "part-down", text: "下移", disabled: i === n - 1, "aria-label": `下移“${p.heading}”`, onclick: () => move(i, 1) }),
    h("button", { type: "button", class: "part-rename", text: "改名", "aria-label": `修改“${p.heading}”的标题`, onclick: (ev) => renameForm(ev.target.closest("li"), p) }),
    h("button", { type: "button", class: "part-remove", text: "删除", disabled: n <= 1, title: n <= 1 ? "报告至少要保留一个带序号的部分" : "", "aria-label": `删除“${p.heading}”`, onclick: () => remove(p) }))));
  const pos = $("#structure-position");
  pos.replaceChildren(
    ...state.parts.map((p, i) => h("option", { value: String(i), text: `放在“${p.heading}”之前` })),
    h("option", { value: String(n), text: "放在最后" }),
    // pagefix: by default the server places it by kind (a 主要工作 part after the last 主要工作)
    h("option", { value: "", text: "按类型放置：主要工作放在已有主要工作之后，问题、打算放在最后", selected: true }));
  $("#structure-add-button").disabled = n >= st.max_numbered;
  $("#structure-limit").textContent = n >= st.max_numbered ? `带序号的部分最多 ${st.max_numbered} 个。` : "";
}

// One change: the answer is the new structure; the report is read again (headings, numbers).
async function change(path, method, body, done) {
  const status = $("#structure-status");
  status.textContent = "正在保存…";
  try {
    const st = await api(`/reports/${state.report}${path}`, { method, body: { ...body, etag: state.etag } });
    state.etag = st.etag;
    await refreshReport();
    loadOutline(state.report); // its sections and numbered headings follow the new structure
    status.textContent = done;
    return true;
  } catch (err) {
    status.textContent = err.message;
    if (err.status === 409) { await refreshReport(); loadOutline(state.report); } // as it now is
    return false;
  }
}

function move(i, step) {
  const order = state.parts.map((p) => p.id);
  [order[i], order[i + step]] = [order[i + step], order[i]];
  change("/structure/order", "PUT", { order }, "已调整顺序，序号已按新顺序重排。");
}

function remove(p) {
  const drafted = (ctx.report ? ctx.report.sections : []).some((s) => s.id === p.id && s.current_version);
  const warn = drafted ? "这一部分已有文字，删除后不再出现在报告和导出稿中（历史版本仍保留在审计日志中）。" : "";
  if (!window.confirm(`确定删除“${p.heading}”吗？${warn}`)) return;
  // pagefix: the numbers move up only when a part follows the removed one
  const follows = state.parts.findIndex((x) => x.id === p.id) < state.parts.length - 1;
  change(`/structure/sections/${p.id}`, "DELETE", {}, `已删除“${p.heading}”${follows ? "，其后各部分的序号已顺延" : ""}。`);
}

function renameForm(li, p) {
  const input = h("input", { class: "part-new-heading", value: p.heading.replace(/^[一二三四五六七八九十]+、/, ""), maxlength: "120", "aria-label": "新的标题" });
  const save = async () => {
    const heading = input.value.trim();
    if (!heading) { $("#structure-status").textContent = "请填写标题。"; input.focus(); return; }
    await change(`/structure/sections/${p.id}`, "PATCH", { heading }, "标题已修改。");
  };
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); save(); } });
  li.replaceChildren(input,
    h("button", { type: "button", class: "part-save", text: "保存", onclick: save }),
    h("button", { type: "button", class: "part-cancel", text: "取消", onclick: () => refreshReport() }));
  input.focus();
}

$("#structure-add")?.addEventListener("submit", async (e) => {
  e.preventDefault();
  const heading = $("#structure-heading").value.trim();
  if (!heading) { $("#structure-status").textContent = "请先填写新部分的标题。"; $("#structure-heading").focus(); return; }
  const at = $("#structure-position").value;
  const body = { heading, kind: $("#structure-kind").value, ...(at === "" ? {} : { position: Number(at) }) };
  if (await change("/structure/sections", "POST", body, `已添加“${heading}”，可在上面的列表中选中它起草。`)) {
    $("#structure-heading").value = "";
  }
});
