// Deleting an upload from the page: asks first, says what goes with it (the facts proposed from
// the file; facts already confirmed stay), and reports the outcome in Chinese. The server checks
// the right to delete and writes the audit entry; the button shows only to those who may write
// (review.js hides it for others).
import { api } from "./api.js";
import { $, h } from "./dom.js";

export function deleteUploadButton(doc, reload, reloadFacts) {
  return h("button", {
    type: "button",
    class: "delete-upload",
    text: "删除",
    "aria-label": `删除上传的文件 ${doc.filename}`,
    onclick: async (e) => {
      const ok = window.confirm(
        `确定删除“${doc.filename}”吗？\n从它识别出、尚未确认的事实会一并删除；已确认的事实保留。删除后可重新上传。`);
      if (!ok) return;
      const status = $("#upload-status");
      e.target.disabled = true;
      try {
        await api(`/documents/${doc.id}`, { method: "DELETE" });
        status.textContent = `已删除“${doc.filename}”。`;
        await reload();
        await reloadFacts();
      } catch (err) {
        status.textContent = `删除失败：${err.message}`;
        e.target.disabled = false;
      }
    },
  });
}
