// The 知识库 area of the 管理 screen (admins): upload past reports and policy texts into the
// corpus with indexing progress, list them with their state, remove (after a confirmation),
// re-index one or all, and see why a file failed. Calls /api/v1/knowledge.
import { api, ApiError } from "./api.js";
import { $, h, show } from "./dom.js";

const BASE = "/api/v1";
const PAGE = { "X-Requested-With": "gongwen" }; // as api.js sends: the CSRF guard wants it
const STAGES = { queued: "排队中", reading: "正在读取", embedding: "正在向量化", writing: "正在写入", done: "完成" };
const STATES = { indexed: "已入库", failed: "失败" };
const ORIGINS = { upload: "接口上传", cli: "命令行索引" };
const OUTCOMES = { indexed: "已入库", failed: "失败", skipped: "未入库" };
const POLL_MS = 400;
let me = null;
let busy = false;

// Every message shown is Chinese: the API's own message when it gives one, else by status.
export function kbMessage(ex) {
  const d = ex && ex.detail;
  if (d && typeof d === "object" && !Array.isArray(d) && d.message) return d.message;
  if (typeof d === "string" && /[\u4e00-\u9fff]/.test(d)) return d;
  const byStatus = {
    0: "网络错误：请检查网络连接后重试。",
    401: "登录已过期：请重新登录。",
    403: "没有权限：只有管理员可以管理知识库。",
    404: "该文件已不在知识库中：请刷新列表。",
    409: "该文件刚被其他管理员修改：请刷新列表后再试。",
    413: "文件超过上传大小上限：请拆分或压缩后再上传。",
    415: "无法识别的文件类型：请上传 Word/WPS、PDF、OFD、Excel、文本或扫描图片。",
    422: "请求有误：请重新选择文件后再试。",
  };
  return byStatus[ex && ex.status] || "操作失败：请稍后重试，仍不行请联系管理员。";
}

const token = () => "kb-" + Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
const pad = (n) => String(n).padStart(2, "0");
// The user's local time (the API answers in UTC).
const day = (iso) => {
  if (!iso) return "—";
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const size = (n) => (n == null ? "" : n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1048576).toFixed(1)} MB`);

function sendFiles(files, progressToken, onSent) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append("files", f);
    form.append("progress", progressToken);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", BASE + "/knowledge/documents");
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(PAGE)) xhr.setRequestHeader(name, value);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onSent(e.loaded / e.total); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response);
      else reject(new ApiError(xhr.status, xhr.response ? xhr.response.detail : null));
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.send(form);
  });
}

// Polls the run's progress while `work` (a promise) is under way; `what` names the run.
async function withProgress(progressToken, what, work) {
  const bar = $("#kb-progress");
  const status = $("#kb-status");
  show(bar, true);
  bar.removeAttribute("value");
  let done = false;
  const poll = async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (done) break;
      let p = null;
      try { p = await api(`/knowledge/progress/${progressToken}`); } catch { continue; } // no news yet
      if (done || !p) continue;
      const parts = [`${what}：${STAGES[p.stage] || "处理中"}`];
      if (p.file) parts.push(`“${p.file}”`);
      if (p.files > 1) parts.push(`（第 ${Math.min(p.files_done + 1, p.files)}/${p.files} 个）`);
      if (p.pages) parts.push(`，已识别 ${p.pages_done}/${p.pages} 页`);
      if (p.chunks) {
        parts.push(`，已向量化 ${p.chunks_done}/${p.chunks} 段`);
        bar.value = Math.round((100 * p.chunks_done) / p.chunks);
      }
      status.textContent = parts.join("");
    }
  };
  poll();
  try {
    return await work;
  } finally {
    done = true;
    show(bar, false);
  }
}

function showResults(results) {
  const list = $("#kb-results");
  list.replaceChildren(...results.map((r) => {
    const extra = r.status === "indexed" && r.document ? `（${r.document.chunks} 段）` : "";
    return h("li", { class: `kb-result kb-${r.status}`, "data-status": r.status },
      h("strong", { text: `${OUTCOMES[r.status] || r.status}` }),
      ` ${r.filename}${extra}`,
      r.reason ? h("small", { class: r.status === "failed" ? "error" : "muted", text: `：${r.reason}` }) : null);
  }));
}

async function upload(e) {
  e.preventDefault();
  if (busy) return;
  const input = $("#kb-files");
  const files = [...input.files];
  $("#kb-error").textContent = "";
  if (!files.length) { $("#kb-error").textContent = "请先选择要上传的文件。"; return; }
  busy = true;
  $("#kb-upload").disabled = true;
  const results = [];
  try {
    // One request a file: each gets the whole upload limit, and one failure stays its own.
    for (const [i, file] of files.entries()) {
      const t = token();
      const what = files.length > 1 ? `上传第 ${i + 1}/${files.length} 个文件` : "上传";
      $("#kb-status").textContent = `${what}：正在发送“${file.name}”`;
      try {
        const body = await withProgress(t, what, sendFiles([file], t, (f) => {
          $("#kb-status").textContent = `${what}：正在发送“${file.name}” ${Math.round(f * 100)}%`;
        }));
        results.push(...body.results);
      } catch (ex) {
        results.push({ filename: file.name, status: "failed", reason: kbMessage(ex) });
      }
      showResults(results);
    }
    const ok = results.filter((r) => r.status === "indexed").length;
    $("#kb-status").textContent = `完成：${ok} 个文件已入库，${results.length - ok} 个未入库。`;
    input.value = "";
    chosen();
  } finally {
    busy = false;
    $("#kb-upload").disabled = false;
  }
  await loadKnowledge(me);
}

async function reindex(doc) {
  if (busy) return;
  busy = true;
  $("#kb-error").textContent = "";
  const t = token();
  try {
    const r = await withProgress(t, "重新索引",
      api(`/knowledge/documents/${doc.id}/reindex`, { method: "POST", body: { progress: t } }));
    showResults([r]);
    $("#kb-status").textContent = r.status === "indexed" ? `“${doc.filename}”已重新索引。` : `“${doc.filename}”重新索引失败。`;
  } catch (ex) {
    $("#kb-error").textContent = kbMessage(ex);
  } finally {
    busy = false;
  }
  await loadKnowledge(me);
}

async function reindexAll() {
  if (busy) return;
  if (!confirm("重新索引知识库中通过本页上传的全部文件？文件较多时需要几分钟，期间检索仍可使用。")) return;
  busy = true;
  $("#kb-error").textContent = "";
  const t = token();
  try {
    const body = await withProgress(t, "全部重新索引", api("/knowledge/reindex", { method: "POST", body: { progress: t } }));
    showResults(body.results);
    $("#kb-status").textContent = `全部重新索引完成：${body.indexed} 个成功，${body.failed} 个失败。`;
  } catch (ex) {
    $("#kb-error").textContent = kbMessage(ex);
  } finally {
    busy = false;
  }
  await loadKnowledge(me);
}

async function remove(doc) {
  if (!confirm(`从知识库删除“${doc.title || doc.filename}”？删除后检索和起草将不再引用它。`)) return;
  $("#kb-error").textContent = "";
  const path = doc.origin === "upload" ? `/documents/${doc.id}` : `/knowledge/documents/${doc.id}`;
  try {
    await api(path, { method: "DELETE" });
    $("#kb-status").textContent = `已删除“${doc.filename}”。`;
  } catch (ex) {
    $("#kb-error").textContent = kbMessage(ex);
  }
  await loadKnowledge(me);
}

function row(d) {
  const state = h("td", { class: d.status === "failed" ? "error" : "ok" },
    STATES[d.status] || d.status,
    d.reason ? h("small", { class: "kb-reason", text: d.reason }) : null);
  const actions = h("td", { class: "kb-actions" },
    d.can_reindex ? h("button", { type: "button", class: "kb-reindex", text: d.status === "failed" ? "重试" : "重新索引", onclick: () => reindex(d) }) : null,
    d.can_remove ? h("button", { type: "button", class: "kb-remove", text: "删除", onclick: () => remove(d) }) : null);
  const counts = `${d.characters != null ? `${d.characters} 字 / ` : ""}${d.chunks} 段`;
  return h("tr", { "data-kb-origin": d.origin, "data-kb-id": d.id != null ? String(d.id) : d.doc_id, "data-status": d.status },
    h("td", { text: d.title || "（无标题）" }),
    h("td", {}, d.filename, h("small", { class: "muted", text: [d.kind, size(d.size)].filter(Boolean).join(" · ") })),
    h("td", { text: d.status === "indexed" ? counts : "—" }),
    h("td", { text: day(d.indexed_at || d.created_at) }),
    h("td", { text: d.created_by || ORIGINS[d.origin] || "—" }),
    state,
    actions);
}

export async function loadKnowledge(user) {
  me = user;
  const admin = !!me && me.role === "admin";
  show($("#kb-panel"), admin);
  if (!admin) return;
  let docs = [];
  try {
    docs = await api("/knowledge/documents");
  } catch (ex) {
    $("#kb-error").textContent = kbMessage(ex);
  }
  const failedOnly = $("#kb-failed-only").checked;
  const failed = docs.filter((d) => d.status === "failed").length;
  $("#kb-failed-count").textContent = failed ? `（${failed} 个失败）` : "";
  const shown = failedOnly ? docs.filter((d) => d.status === "failed") : docs;
  $("#kb-table tbody").replaceChildren(...shown.map(row));
  show($("#kb-table"), shown.length > 0);
  show($("#kb-none"), shown.length === 0);
  $("#kb-none").textContent = failedOnly ? "没有失败的文件。" : "知识库中还没有文件。";
  $("#kb-reindex-all").disabled = !docs.some((d) => d.can_reindex);
}

function chosen() {
  const files = [...$("#kb-files").files];
  $("#kb-chosen").textContent = !files.length ? "未选择文件"
    : files.length === 1 ? files[0].name : `已选择 ${files.length} 个文件：${files.map((f) => f.name).join("、")}`;
}

$("#kb-files").addEventListener("change", chosen);
$("#kb-form").addEventListener("submit", upload);
$("#kb-reindex-all").addEventListener("click", reindexAll);
$("#kb-failed-only").addEventListener("change", () => loadKnowledge(me));
