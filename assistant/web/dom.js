// Tiny DOM helpers: no innerHTML with data, ever.
export const $ = (sel, root = document) => root.querySelector(sel);

export function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k in el && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid != null) el.append(kid);
  return el;
}

export function show(el, on) { el.hidden = !on; }

export const ROLES = { admin: "管理员", drafter: "起草人", reviewer: "审核人" };
export const STATUS = {
  empty: "未起草", draft: "草稿", submitted: "待审核", approved: "已批准",
  changes_requested: "需修改",
};
const NAMES = { title: "标题", salutation: "称谓", opening: "开头", overview: "总体情况", closing: "结束语", background: "背景" };
export const sectionName = (s) => s.heading || NAMES[s.id] || s.id;

// A figure as a report writes it: 128000000 元 → 1.28亿元 (facts keep 万/亿 applied; as
// assistant/facts/numbers.py readable).
export function figure(value, unit = "") {
  unit = unit || "";
  if (typeof value !== "number") return `${value}${unit}`;
  for (const [scale, word] of [[1e8, "亿"], [1e4, "万"]]) {
    if (word === "万" && unit !== "元") continue;
    const scaled = value / scale;
    if (Math.abs(value) >= scale && Math.abs(scaled * 100 - Math.round(scaled * 100)) < 1e-6) {
      return `${Number(scaled.toFixed(2))}${word}${unit}`;
    }
  }
  return `${value}${unit}`;
}
