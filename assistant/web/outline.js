// The outline: which section tells each fact (and why), and the body sections' headings.
// Saving sends PUT /reports/{id}/outline; drafts then follow it.
import { api } from "./api.js";
import { $, h, sectionName } from "./dom.js";

const FIXED = new Set(["title", "salutation", "closing"]);
let shown = null; // the outline as last read

export async function loadOutline(reportId) {
  const status = $("#outline-status");
  status.textContent = "";
  try {
    shown = await api(`/reports/${reportId}/outline`);
  } catch (e) {
    status.textContent = `无法读取提纲：${e.message}`;
    return;
  }
  render(shown);
}

function render(outline) {
  const sections = outline.sections.filter((s) => !FIXED.has(s.id));
  const headings = $("#outline-headings");
  headings.replaceChildren(
    ...sections.filter((s) => s.heading).map((s) => {
      const id = `outline-heading-${s.id}`;
      const number = (s.heading.match(/^([一二三四五六七八九十]+)、/) || [])[1];
      return h("div", { class: "row" },
        h("label", { for: id, text: number ? `第${number}部分标题` : "标题" }),
        h("input", { id, "data-section": s.id, value: s.heading.replace(/^[一二三四五六七八九十]+、/, "") }));
    }),
  );
  const rows = [];
  for (const s of sections) {
    for (const key of s.facts) {
      const select = h("select", { "data-fact": key, "aria-label": `${key}所在部分` },
        ...sections.map((o) => h("option", { value: o.id, selected: o.id === s.id, text: sectionName(o) })));
      rows.push(h("tr", {},
        h("td", { text: key }),
        h("td", {}, select),
        h("td", { class: "muted", text: (s.why || {})[key] || "" })));
    }
  }
  $("#outline-facts tbody").replaceChildren(...rows);
  $("#outline-edited").textContent = outline.edited ? "（已按您的修改）" : "（程序建议）";
}

export async function saveOutline(reportId) {
  const status = $("#outline-status");
  if (!shown) return;
  const facts = {};
  for (const sel of document.querySelectorAll("#outline-facts select")) {
    (facts[sel.value] ||= []).push(sel.dataset.fact);
  }
  const heading = {};
  for (const input of document.querySelectorAll("#outline-headings input")) {
    heading[input.dataset.section] = input.value.trim();
  }
  const sections = shown.sections.filter((s) => !FIXED.has(s.id)).map((s) => ({
    id: s.id,
    facts: facts[s.id] || [],
    ...(heading[s.id] ? { heading: heading[s.id] } : {}),
  }));
  status.textContent = "正在保存提纲…";
  try {
    shown = await api(`/reports/${reportId}/outline`, { method: "PUT", body: { sections } });
    render(shown);
    status.textContent = "提纲已保存，之后起草将按此提纲。";
    return true;
  } catch (e) {
    status.textContent = `提纲未保存：${e.message}`;
    return false;
  }
}
