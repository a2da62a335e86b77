// Dates typed as text, 年-月-日 (issue 15, from the walk-through): a date input shows the
// browser's own format (mm/dd/yyyy in an English browser, whatever the page's lang), so the page
// asks for 2024-08-20 in words, accepts 2024/8/20, 2024.8.20 and 2024年8月20日, writes them back
// as 2024-08-20, and refuses anything else in Chinese before the form is sent.
const TYPED = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
export const DATE_HINT = "请按“2024-08-20”的格式填写日期（年-月-日）";

// "2024/8/2" → "2024-08-02"; "" → ""; not a real day → null.
export function normalDate(text) {
  const t = String(text || "").trim();
  if (!t) return "";
  const m = t.match(TYPED);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function watch(input) {
  const check = (rewrite) => {
    const d = normalDate(input.value);
    input.setCustomValidity(d === null ? DATE_HINT : "");
    if (rewrite && d !== null && d !== input.value) input.value = d;
  };
  input.addEventListener("input", () => check(false));
  input.addEventListener("change", () => check(true));
  // A form sent by Enter may not see a change event first: rewrite before it is read.
  input.form?.addEventListener("submit", () => check(true), { capture: true });
}

for (const input of document.querySelectorAll("input[data-date]")) watch(input);
