// The 管理 screen (#/admin, admins only): users — add, change role, disable/enable, reset
// password — and the audit log with filters and paging. Also the 修改密码 dialog for everyone.
// The server decides every right (403 admin_only, 409 last_admin …); the page only says why.
import { api, apiList, ApiError } from "./api.js";
import { $, h, show, ROLES, sectionName } from "./dom.js";

const PAGE_SIZE = 20;
const ACTIONS = {
  "user.add": "添加用户", "user.role": "修改角色", "user.disable": "停用用户", "user.enable": "启用用户",
  "user.password_reset": "重置密码", "user.password_change": "修改本人密码",
  create: "新建报告", "report.delete": "删除报告", facts: "保存事实表", reviewers: "指定审核人",
  outline: "修改提纲", upload: "上传材料", "upload.delete": "删除上传材料", import: "导入 Word 修改稿",
  draft: "起草", edit: "人工修改", restore: "恢复版本",
  submit: "提交审核", approve: "批准", request_changes: "退回修改",
  export: "导出正式稿", export_draft: "导出讨论稿",
  "fact.confirm": "确认事实", "fact.correct": "更正事实", "fact.reject": "驳回事实",
  "api_key.create": "创建 API 密钥", "api_key.revoke": "吊销 API 密钥", "api_key.use": "使用 API 密钥",
};
const OBJECTS = { report: "报告", section: "部分", version: "版本", user: "用户", upload: "上传材料", api_key: "API 密钥" };
// The 知识库's entries (knowledge.js, issue 15).
Object.assign(ACTIONS, { "knowledge.upload": "知识库上传", "knowledge.remove": "知识库删除", "knowledge.reindex": "知识库重新索引" });
OBJECTS.knowledge_file = "知识库文件";
// A report's numbered parts changed (structure.js, issue 15).
Object.assign(ACTIONS, { "section.add": "增加部分", "section.remove": "删除部分", "section.rename": "部分改名", "section.reorder": "调整部分顺序" });

let me = null;
let users = [];
let offset = 0;
let resetTarget = null;

// Every refusal in words the user can act on; never a raw status or an English validator text.
export function say(err, invalid = "填写的内容不符合要求，请检查后重试") {
  if (!(err instanceof ApiError)) return "网络错误，请检查连接后重试";
  const d = err.detail;
  if (d && typeof d === "object" && !Array.isArray(d) && d.message) return d.message;
  if (err.status === 401) return "登录已失效，请重新登录";
  if (err.status === 403 && typeof d === "string" && /[\u4e00-\u9fff]/.test(d)) return d;
  if (err.status === 422) return invalid;
  if (typeof d === "string" && /[\u4e00-\u9fff]/.test(d)) return d;
  return "操作没有成功，请稍后重试；仍不行请联系管理员";
}

const when = (iso) => new Date(iso).toLocaleString("zh-CN", { hour12: false });
const day = (iso) => (iso ? iso.slice(0, 10) : "");

export function setupAccount(user) {
  me = user;
  show($("#open-admin"), !!me && me.role === "admin");
}

export async function openAdmin(user) {
  me = user;
  $("#users-error").textContent = "";
  $("#users-status").textContent = "";
  offset = 0;
  await loadUsers();
  await loadAudit();
}

// -- users ----------------------------------------------------------------------------------

async function loadUsers() {
  try {
    users = await api("/admin/users");
  } catch (err) {
    users = [];
    $("#users-error").textContent = say(err);
  }
  $("#users-table tbody").replaceChildren(...users.map(userRow));
  const pick = $("#audit-user");
  const chosen = pick.value;
  pick.replaceChildren(h("option", { value: "", text: "全部用户" }),
    ...users.map((u) => h("option", { value: String(u.id), text: u.username })));
  pick.value = chosen;
}

function userRow(u) {
  const mine = me && u.username === me.username;
  const role = h("select", { class: "user-role", "aria-label": `${u.username} 的角色`, onchange: (e) => changeRole(u, e.target.value) },
    ...Object.entries(ROLES).map(([value, text]) => h("option", { value, text, selected: value === u.role })));
  return h("tr", { "data-username": u.username, class: u.disabled ? "muted" : null },
    h("td", { text: mine ? `${u.username}（我）` : u.username }),
    h("td", {}, role),
    h("td", { class: u.disabled ? "error user-state" : "ok user-state", text: u.disabled ? "已停用" : "启用" }),
    h("td", { text: day(u.created_at) }),
    h("td", {},
      // pagefix: one's own account cannot be disabled (the server refuses); say so, do not offer it
      h("button", { type: "button", class: "toggle-user", text: u.disabled ? "启用" : "停用", onclick: () => toggle(u),
        disabled: Boolean(mine && !u.disabled), title: mine && !u.disabled ? "不能停用自己的账户；如需停用，请由另一位管理员操作" : null }),
      h("button", { type: "button", class: "reset-password", text: "重置密码", onclick: () => openReset(u) })),
  );
}

async function act(work, done) {
  $("#users-error").textContent = "";
  $("#users-status").textContent = "";
  try {
    await work();
    $("#users-status").textContent = done;
  } catch (err) {
    $("#users-error").textContent = say(err, "填写的内容不符合要求：用户名 1–64 个字符，密码至少 10 个字符");
  }
  await loadUsers();
  offset = 0;
  await loadAudit();
}

async function changeRole(u, role) {
  await act(() => api(`/admin/users/${u.id}`, { method: "PATCH", body: { role } }),
    `已将 ${u.username} 的角色改为${ROLES[role]}`);
  // An admin who stepped down sees the page as their new role does.
  if (me && u.username === me.username && role !== "admin") {
    location.hash = "";
    location.reload();
  }
}

async function toggle(u) {
  if (!u.disabled && !confirm(`停用用户“${u.username}”？其所有登录将立即退出，停用期间不能登录（可随时重新启用）。`)) return;
  await act(() => api(`/admin/users/${u.id}`, { method: "PATCH", body: { disabled: !u.disabled } }),
    u.disabled ? `已启用 ${u.username}` : `已停用 ${u.username}，其登录已全部退出`);
}

$("#user-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const body = { username: $("#user-name").value.trim(), password: $("#user-password").value, role: $("#user-role").value };
  $("#user-add").disabled = true;
  let made = false;
  await act(async () => { await api("/admin/users", { method: "POST", body }); made = true; },
    `已添加${ROLES[body.role]} ${body.username}，请把初始密码告诉本人，并提醒其登录后修改`);
  if (made) e.target.reset();
  $("#user-add").disabled = false;
});

function openReset(u) {
  resetTarget = u;
  $("#reset-who").textContent = `为 ${u.username} 设置新密码；其原有登录将全部退出。`;
  $("#reset-error").textContent = "";
  $("#reset-form").reset();
  $("#reset-dialog").showModal();
}

$("#reset-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const u = resetTarget;
  try {
    await api(`/admin/users/${u.id}/password`, { method: "POST", body: { password: $("#reset-new").value } });
  } catch (err) {
    $("#reset-error").textContent = say(err, "新密码不符合要求：至少 10 个字符");
    return;
  }
  $("#reset-dialog").close();
  await act(async () => {}, `已重置 ${u.username} 的密码，其原有登录已退出`);
});
$("#reset-cancel").addEventListener("click", () => $("#reset-dialog").close());

// -- the audit log --------------------------------------------------------------------------

function fillActions() {
  const sel = $("#audit-action");
  sel.append(h("option", { value: "user.", text: "全部用户管理操作" }),
    ...Object.entries(ACTIONS).map(([value, text]) => h("option", { value, text })));
}

// Dates are the user's own calendar days: from the start of the first to the end of the last.
function bound(value, nextDay) {
  if (!value) return null;
  const d = new Date(`${value}T00:00:00`);
  if (nextDay) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

function auditQuery() {
  const q = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
  const put = (k, v) => { if (v) q.set(k, v); };
  put("user_id", $("#audit-user").value);
  put("action", $("#audit-action").value);
  put("report_id", $("#audit-report").value.trim());
  put("since", bound($("#audit-since").value, false));
  put("until", bound($("#audit-until").value, true));
  return q.toString();
}

const LABEL_KEYS = { username: "用户", role: "角色", filename: "文件", file: "文件", title: "标题", section: "部分", version: "版本", name: "名称", path: "路径", comment: "审核意见", override_reason: "放行理由" };

function describe(e) {
  const d = e.detail || {};
  if (e.action === "user.role") return `${d.username}：${ROLES[d.old] || d.old} → ${ROLES[d.new] || d.new}`;
  if (e.action === "user.add") return `${d.username}（${ROLES[d.role] || d.role}）${d.by === "cli" ? " · 命令行" : ""}`;
  if (e.action.startsWith("user.")) {
    const ended = d.sessions_ended ? ` · 退出登录 ${d.sessions_ended} 处` : "";
    return `${d.username || ""}${ended}${d.by === "cli" ? " · 命令行" : ""}`;
  }
  const parts = [];
  for (const [k, label] of Object.entries(LABEL_KEYS)) {
    if (d[k] == null || d[k] === "" || typeof d[k] === "object") continue;
    // a section by its heading (the server adds it) or its Chinese name, never its id
    const value = k === "section" ? sectionName({ id: d[k], heading: d.section_heading || "" }) : d[k];
    parts.push(`${label}：${value}`);
  }
  if (Array.isArray(d.reviewers)) parts.push(`审核人：${d.reviewers.join("、") || "无"}`);
  return parts.join(" · ");
}

function target(e) {
  const kind = OBJECTS[e.object_type] || e.object_type;
  const d = e.detail || {};
  if (e.object_type === "section" && d.report_id) return `报告 ${d.report_id} · ${kind}`;
  return e.object_id != null ? `${kind} ${e.object_id}` : kind;
}

async function loadAudit() {
  $("#audit-error").textContent = "";
  let page = { items: [], total: 0 };
  try {
    page = await apiList(`/admin/audit?${auditQuery()}`);
  } catch (err) {
    $("#audit-error").textContent = say(err, "查询条件不符合要求：报告编号须为正整数，日期须完整");
  }
  const rows = page.items.map((e) => h("tr", { "data-action": e.action },
    h("td", { text: when(e.at) }),
    h("td", { text: e.username || "系统" }),
    h("td", { class: "audit-action", text: ACTIONS[e.action] || e.action }),
    h("td", { text: target(e) }),
    h("td", { text: describe(e) }),
  ));
  if (!rows.length) rows.push(h("tr", {}, h("td", { colspan: "5", class: "muted", text: "没有符合条件的记录。" })));
  $("#audit-table tbody").replaceChildren(...rows);
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  $("#audit-page").textContent = `第 ${Math.floor(offset / PAGE_SIZE) + 1} / ${pages} 页，共 ${page.total} 条`;
  $("#audit-prev").disabled = offset === 0;
  $("#audit-next").disabled = offset + PAGE_SIZE >= page.total;
}

$("#audit-filter").addEventListener("submit", (e) => { e.preventDefault(); offset = 0; loadAudit(); });
$("#audit-prev").addEventListener("click", () => { offset = Math.max(0, offset - PAGE_SIZE); loadAudit(); });
$("#audit-next").addEventListener("click", () => { offset += PAGE_SIZE; loadAudit(); });
$("#admin-back").addEventListener("click", () => { location.hash = ""; });
$("#open-admin").addEventListener("click", () => { location.hash = "#/admin"; });
fillActions();

// -- 修改密码 (everyone) ----------------------------------------------------------------------

$("#change-password").addEventListener("click", () => {
  $("#password-form").reset();
  $("#pw-error").textContent = "";
  $("#password-dialog").showModal();
  $("#pw-old").focus();
});
$("#pw-cancel").addEventListener("click", () => $("#password-dialog").close());

$("#password-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const err = $("#pw-error");
  err.textContent = "";
  if ($("#pw-new").value !== $("#pw-again").value) {
    err.textContent = "两次输入的新密码不一致，请重新输入";
    return;
  }
  $("#pw-save").disabled = true;
  try {
    await api("/auth/password", { method: "POST", body: { old_password: $("#pw-old").value, new_password: $("#pw-new").value } });
    $("#password-dialog").close();
    $("#password-form").reset();
    alertDone();
    if (!$("#admin-screen").hidden) loadAudit(); // the change is in the log: show it (issue 15)
  } catch (ex) {
    err.textContent = say(ex, "密码不符合要求：新密码至少 10 个字符");
  } finally {
    $("#pw-save").disabled = false;
  }
});

// A short note under the header: the change worked, and what it did to other devices.
function alertDone() {
  let note = $("#password-done");
  if (!note) {
    note = h("p", { id: "password-done", class: "ok", role: "status" });
    $("main").prepend(note);
  }
  note.textContent = "密码已修改。其他设备上的登录已退出，本页保持登录。";
  setTimeout(() => note.remove(), 8000);
}
