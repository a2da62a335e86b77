// The Word round trip in the page: the exported file, edited in Word or WPS, comes back; the
// page shows per section what the file changes (a readable diff), what could not be matched and
// why, and saves only the sections the user keeps (POST …/import.docx, preview=1 then keep=[…]).
import { ApiError, detailText } from "./api.js";
import { runsView } from "./diff.js";
import { $, h, sectionName } from "./dom.js";
import { ctx } from "./editor.js";
import { refreshReport } from "./report.js";

const BY = { bookmark: "按书签", heading: "按标题", position: "按位置", similarity: "按内容" };
let chosen = null; // the file being imported, kept between the preview and the import

async function post(file, fields) {
  const form = new FormData();
  form.append("file", file);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const r = await fetch(`/api/v1/reports/${ctx.id}/import.docx`, {
    method: "POST", credentials: "same-origin", headers: { "X-Requested-With": "gongwen" }, body: form,
  });
  let body = null;
  try { body = await r.json(); } catch { /* not JSON */ }
  if (!r.ok) throw new ApiError(r.status, body ? body.detail : r.statusText);
  return body;
}

function refusal(err) {
  if (err.status === 409) {
    return "有部分在导出之后被修改过，文件中的改动会覆盖别人的修改，未导入。请重新导出讨论稿，在新文件上修改后再导入。";
  }
  if (err.status === 413) return "文件太大，无法导入。";
  if (err.status === 422) return `文件无法读取：${detailText(err.detail)}。请上传从本系统导出、在 Word 或 WPS 中修改后保存的 .docx（或 .doc/.wps）文件。`;
  if (err.status === 403) return "只有报告的起草人或管理员可以导入审改稿。";
  return `导入失败：${err.message}`;
}

// Why a paragraph of the file was not imported, as the user can act on it.
function strayReason(u) {
  if (u.heading === "主送机关") return "原因：主送机关按报告信息导出，不从 Word 导入；如需修改，请在新建报告时填写的报告信息中修改。";
  if (u.heading) return "原因：文件中的这个标题在报告里没有对应部分。如需保留，请把内容移到相应部分下再导入，或在编辑框中直接修改。";
  return "原因：这段文字前后没有能对应到报告某一部分的标题或书签。如需保留，请在编辑框中直接修改相应部分。";
}

function nameOf(id) {
  const s = ctx.report && ctx.report.sections.find((x) => x.id === id);
  return s ? sectionName(s) : id;
}

function showPreview(p) {
  const box = $("#roundtrip-result");
  const changed = p.sections.filter((s) => s.changed);
  const rows = changed.map((s) => {
    const errors = s.issues_summary ? s.issues_summary.errors : 0;
    return h("li", { class: "roundtrip-section" },
      h("label", { class: "choice" },
        h("input", { type: "checkbox", checked: true, value: s.id, "data-keep": "" }),
        ` 保留“${nameOf(s.id)}”的修改（${BY[s.matched_by] || s.matched_by}找到）`),
      errors ? h("p", { class: "warn", text: `检查发现 ${errors} 处错误，导入后需在该部分处理。` }) : null,
      runsView(s.changes || []));
  });
  const headline = changed.length ? `文件修改了 ${changed.length} 个部分`
    : p.unmatched.length ? "没有可以导入的修改：文件中的改动找不到对应的部分（见下）。" : "文件与当前稿件相同，没有可导入的修改。";
  const kids = [h("h4", { text: headline })];
  if (rows.length) kids.push(h("ul", { class: "list" }, rows));
  if (p.unmatched.length) {
    kids.push(h("h4", { text: "以下内容找不到对应的部分，不会导入" }),
      h("ul", { class: "list" }, p.unmatched.map((u) => h("li", {},
        h("strong", { text: u.heading || "（无标题的段落）" }),
        h("p", { class: "muted", text: `${u.text.slice(0, 120)}${u.text.length > 120 ? "……" : ""}` }),
        h("p", { class: "muted", text: strayReason(u) })))));
  }
  // A part never drafted has nothing to lose: only the written ones the file lacks are named.
  const written = (id) => { const s = ctx.report && ctx.report.sections.find((x) => x.id === id); return Boolean(s && s.current_version); };
  const lacking = p.missing.filter(written);
  if (lacking.length) {
    kids.push(h("p", { class: "muted", text: `文件中没有找到：${lacking.map(nameOf).join("、")}。这些部分保持原文。` }));
  }
  if (changed.length) {
    kids.push(h("div", { class: "row" },
      h("button", { type: "button", id: "roundtrip-save", onclick: save, text: "导入选中的修改" }),
      h("button", { type: "button", onclick: close, text: "取消" })));
  }
  box.replaceChildren(...kids);
}

async function save() {
  const keep = [...document.querySelectorAll("#roundtrip-result [data-keep]")].filter((b) => b.checked).map((b) => b.value);
  const status = $("#roundtrip-status");
  if (!keep.length) { status.textContent = "没有选中要保留的修改。"; return; }
  status.textContent = "正在导入……";
  try {
    const r = await post(chosen, { keep: JSON.stringify(keep) });
    const saved = r.sections.filter((s) => s.changed).map((s) => nameOf(s.id));
    $("#roundtrip-result").replaceChildren();
    status.textContent = `已导入：${saved.join("、") || "无"}${r.skipped.length ? `；未保留：${r.skipped.map(nameOf).join("、")}` : ""}。导入的修改已存为新版本，需重新提交审核。`;
    await refreshReport();
  } catch (err) {
    status.textContent = err instanceof ApiError ? refusal(err) : `导入失败：${err.message}`;
  }
}

function close() {
  chosen = null;
  $("#roundtrip-file").value = "";
  $("#roundtrip-result").replaceChildren();
  $("#roundtrip-status").textContent = "";
  $("#roundtrip").hidden = true;
}

export function showRoundtrip(writable) {
  $("#open-roundtrip").hidden = !writable;
  if (!writable) $("#roundtrip").hidden = true;
}

$("#open-roundtrip").addEventListener("click", () => { $("#roundtrip").hidden = false; $("#roundtrip-file").focus(); });
$("#close-roundtrip").addEventListener("click", close);
$("#roundtrip-file").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  chosen = file;
  const status = $("#roundtrip-status");
  status.textContent = `正在比对“${file.name}”……`;
  $("#roundtrip-result").replaceChildren();
  try {
    showPreview(await post(file, { preview: "1" }));
    status.textContent = "请勾选要保留的修改。";
  } catch (err) {
    status.textContent = err instanceof ApiError ? refusal(err) : `比对失败：${err.message}`;
  }
});
