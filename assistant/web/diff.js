// A version's changes against the one before it, as people read them: the text inline with the
// deleted words struck through (删除) and the inserted ones underlined (新增), no diff notation.
// The API sends the runs (`changes`: [{op: equal|delete|insert, text}]); long kept passages are
// shortened to their ends so the changes stand out.
import { h } from "./dom.js";

const KEEP = 24; // characters of kept text shown on each side of a change

function kept(text, first, last) {
  if (text.length <= 2 * KEEP + 3) return text;
  if (first) return "……" + text.slice(-KEEP);
  if (last) return text.slice(0, KEEP) + "……";
  return text.slice(0, KEEP) + " …… " + text.slice(-KEEP);
}

export function changesView(v) {
  const runs = v.changes || [];
  const dels = runs.filter((r) => r.op === "delete").length;
  const adds = runs.filter((r) => r.op === "insert").length;
  if (!runs.length || (!dels && !adds)) return h("p", { class: "changes muted", text: "与上一版文字相同。" });
  if (v.version === 1 || (runs.length === 1 && runs[0].op === "insert")) {
    return h("p", { class: "changes muted", text: "第一版：全文为新写入的内容。" });
  }
  const body = h("p", { class: "changes-text" });
  runs.forEach((r, n) => {
    if (r.op === "equal") body.append(h("span", { class: "same", text: kept(r.text, n === 0, n === runs.length - 1) }));
    else if (r.op === "delete") body.append(h("del", { class: "del", title: "删除", text: r.text }));
    else body.append(h("ins", { class: "add", title: "新增", text: r.text }));
  });
  return h("details", { class: "changes" },
    h("summary", { text: `与上一版相比：删除 ${dels} 处，新增 ${adds} 处` }),
    h("p", { class: "legend muted" },
      h("del", { class: "del", text: "删除的文字" }), "　", h("ins", { class: "add", text: "新增的文字" })),
    body);
}
