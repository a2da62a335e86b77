// Text read by OCR is shown as such (issue 19). An upload read by OCR (an image, or a PDF with
// scanned pages: the API's `ocr`) is marked 识别文字（OCR） in the uploads list, and so is every
// fact whose source names a page of such a file (upload:<file>#p3, a table's cell
// upload:<file>#p3!B2): a character may be misread, so the user checks it against the original.
// report.js announces each uploads list it shows (the `uploads-loaded` event); fact rows are
// marked as they are drawn (a MutationObserver on the two fact lists).
import { $, h } from "./dom.js";

// A PDF has no sheets and an image none: a page source naming one was read by OCR whatever the
// uploads list says (it may not have arrived yet).
const SCANS = /\.(?:pdf|png|jpe?g|tiff?)$/i;
const PAGE_SOURCE = /^upload:(.+)#p(\d+)(?:-\d+)?(?:!([A-Z]{1,3}\d+))?$/;
let ocrFiles = new Set();

// {file, page, cell} when `source` is text read by OCR, else null.
export function ocrSource(source) {
  const m = PAGE_SOURCE.exec(source || "");
  if (!m || !(ocrFiles.has(m[1]) || SCANS.test(m[1]))) return null;
  return { file: m[1], page: Number(m[2]), cell: m[3] || "" };
}

export function ocrLabel(o) {
  return `识别文字（OCR，第${o.page}页${o.cell ? ` ${o.cell} 格` : ""}），请核对原件`;
}

const badge = (text) => h("small", { class: "ocr-mark", text });

function markFact(el, source, where) {
  if (!where || el.querySelector(".ocr-mark")) return;
  const o = ocrSource(source);
  if (o) where.append(badge(ocrLabel(o)));
}

function markFacts() {
  for (const tr of document.querySelectorAll("#facts-table tbody tr[data-source]")) {
    markFact(tr, tr.dataset.source, tr.cells[0]);
  }
  for (const li of document.querySelectorAll("#proposed-facts li[data-source]")) {
    const small = li.querySelector("small");
    if (small && !li.querySelector(".ocr-mark")) {
      const o = ocrSource(li.dataset.source);
      if (o) small.after(badge(ocrLabel(o)));
    }
  }
}

document.addEventListener("uploads-loaded", (e) => {
  const docs = e.detail || [];
  ocrFiles = new Set(docs.filter((d) => d.ocr).map((d) => d.filename));
  for (const d of docs) {
    const li = $(`#uploads-list li[data-upload-id="${d.id}"]`);
    if (d.ocr && li && !li.querySelector(".ocr-mark")) {
      li.firstChild.after(badge("识别文字（OCR）：可能有错字，请核对原件"));
    }
  }
  markFacts();
});

const lists = [$("#facts-table tbody"), $("#proposed-facts")].filter(Boolean);
const watch = new MutationObserver(markFacts);
for (const el of lists) watch.observe(el, { childList: true });
