// Entry: login, report list, new report, and routing between screens (#/report/ID).
import { api } from "./api.js";
import { $, h, show, ROLES } from "./dom.js";
import { openReport } from "./report.js";
import { loadKeys } from "./keys.js";
import { openAdmin, setupAccount } from "./admin.js"; // 管理 (admins) and 修改密码
import "./review.js"; // review controls by role, comments, submit-all/approve-all (issue 15)
import { loadKnowledge } from "./knowledge.js"; // the 知识库 area (issue 15), admins only
import "./structure.js"; // a report's numbered parts added, removed, renamed, moved (issue 15)
import "./dates.js"; // date fields typed 年-月-日, whatever the browser's language (issue 15)

const screens = ["login-screen", "list-screen", "report-screen", "admin-screen"];
let me = null;

function screen(id) {
  for (const s of screens) show($("#" + s), s === id);
}

async function start() {
  try {
    me = await api("/auth/me");
  } catch {
    me = null;
  }
  show($("#session"), !!me);
  if (!me) {
    screen("login-screen");
    $("#login-username").focus();
    return;
  }
  $("#whoami").textContent = `${me.username}（${ROLES[me.role] || me.role}）`;
  setupAccount(me);
  route();
}

async function route() {
  if (!me) return;
  const m = location.hash.match(/^#\/report\/(\d+)$/);
  if (m) {
    screen("report-screen");
    await openReport(Number(m[1]), me);
  } else if (location.hash === "#/admin" && me.role === "admin") {
    screen("admin-screen");
    await openAdmin(me);
    await loadKnowledge(me);
  } else {
    screen("list-screen");
    await loadList();
    await loadKeys(me);
  }
}

async function loadList() {
  const reports = await api("/reports");
  const list = $("#reports-list");
  list.replaceChildren();
  if (!reports.length) list.append(h("li", { class: "muted", text: "还没有报告。" }));
  for (const r of reports) {
    const s = r.sections;
    list.append(
      h("li", {
        "data-report-id": String(r.id),
        // The whole row opens the report; the link inside stays the keyboard's way in.
        onclick: (e) => { if (e.target.tagName !== "A") location.hash = `#/report/${r.id}`; },
      },
        h("a", { href: `#/report/${r.id}`, text: r.title || `报告 ${r.id}` }),
        h("span", { class: "muted", text: ` ${r.template} · 已起草 ${s.drafted}/${s.total} · 已批准 ${s.approved}/${s.total}` }),
      ),
    );
  }
}

$("#login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("#login-error").textContent = "";
  $("#login-submit").disabled = true;
  try {
    await api("/auth/login", {
      method: "POST",
      body: { username: $("#login-username").value, password: $("#login-password").value },
    });
    $("#login-password").value = "";
    await start();
  } catch (err) {
    const messages = { 401: "用户名或密码错误", 429: "登录失败次数过多，请稍后再试", 422: "请填写用户名和密码" };
    $("#login-error").textContent = messages[err.status] || err.message;
  } finally {
    $("#login-submit").disabled = false;
  }
});

$("#logout").addEventListener("click", async () => {
  try { await api("/auth/logout", { method: "POST" }); } catch { /* already out */ }
  me = null;
  history.replaceState(null, "", "/");
  start();
});

$("#new-report").addEventListener("click", async () => {
  const form = $("#new-report-form");
  show(form, true);
  const sel = $("#new-template");
  if (!sel.options.length) {
    for (const t of await api("/templates")) {
      sel.append(h("option", { value: t.name, text: `${t.name}（${t.description}）` }));
    }
  }
  await offerReviewers();
  $("#new-title").focus();
});

// The reviewers a report may name, as check boxes: typing a username that does not exist (or a
// drafter's) was refused in words the user could not act on.
async function offerReviewers() {
  const box = $("#new-reviewers");
  const note = $("#new-reviewers-note");
  box.querySelectorAll("label").forEach((el) => el.remove());
  let people = [];
  try { people = await api("/reviewers"); } catch { /* the note says there is no one to pick */ }
  people = people.filter((p) => !me || p.username !== me.username);
  for (const p of people) {
    box.append(h("label", { class: "choice" },
      h("input", { type: "checkbox", name: "reviewer", value: p.username }),
      ` ${p.username}（${ROLES[p.role] || p.role}）`));
  }
  note.textContent = people.length ? "" :
    "系统中还没有其他审核人：报告可以起草，但要导出正式稿，需请管理员添加一位审核人后在报告中指定。";
  show(note, !people.length);
}

$("#new-report-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const err = $("#new-report-error");
  err.textContent = "";
  const report = { template: $("#new-template").value };
  for (const k of ["title", "organization", "recipient", "period", "date"]) {
    const v = $("#new-" + k).value.trim();
    if (v) report[k] = v;
  }
  const reviewers = [...document.querySelectorAll("#new-reviewers input:checked")].map((i) => i.value);
  const offered = document.querySelectorAll("#new-reviewers input").length;
  if (offered && !reviewers.length &&
      !confirm("没有选择审核人：报告未经审核人批准不能导出正式稿。仍然创建吗？")) return;
  $("#create-report").disabled = true;
  try {
    const r = await api("/reports", { method: "POST", body: { report, facts: [], reviewers } });
    e.target.reset();
    show(e.target, false);
    location.hash = `#/report/${r.id}`;
  } catch (ex) {
    err.textContent = ex.message; // Chinese, with the field named (messages.js)
  } finally {
    $("#create-report").disabled = false;
  }
});

$("#back-to-list").addEventListener("click", () => { location.hash = ""; });
window.addEventListener("hashchange", route);
start();
