// The chat bound to the open report: a reply as the steps it plans (plan → step → events →
// done), each with its header and result; the conversation again when the report is reopened;
// Enter sends, Shift+Enter breaks the line.
import { api, stream } from "./api.js";
import { explain } from "./messages.js";
import { $, figure, h, sectionName } from "./dom.js";
import { ctx, openSection } from "./editor.js";
import { decideFact, loadFacts, refreshReport } from "./report.js";

const ACTIONS = {
  draft: "起草", draft_all: "整篇起草", revise: "修改", facts: "识别事实", answer: "回答",
  gaps: "缺少的内容", check: "检查", search: "检索", sources: "出处", ask: "请说明", help: "帮助",
};
const SEVERITY = { error: "错误", warning: "注意", info: "提示" };
const DRAFTS = new Set(["draft", "revise"]);

let sending = null; // the reply being streamed, or null

function scrollLog() {
  const log = $("#chat-log");
  log.scrollTop = log.scrollHeight;
}

function labelOf(section, label) {
  if (label) return label;
  const s = ctx.report && ctx.report.sections.find((x) => x.id === section);
  return s ? sectionName(s) : section || "";
}

function header(a) {
  let t = ACTIONS[a.action] || a.action;
  if (a.section || a.label) t += ` · ${labelOf(a.section, a.label)}`;
  else if (a.action === "check") t += " · 全文";
  if (a.passage) t += `（“${a.passage}”）`;
  return t;
}

async function openVersion(section, versionId) {
  await openSection(section, versionId);
  $("#section-editor").scrollIntoView({ block: "nearest" });
}

function versionButton(section, a) {
  return h("button", {
    type: "button", class: "open-version", "data-section": section, "data-version-id": String(a.version_id),
    title: `打开“${labelOf(section)}”的这一版`,
    text: a.version ? `打开第${a.version}版` : "打开这一版", onclick: () => openVersion(section, a.version_id),
  });
}

// One drafted section of a whole-report draft (or of a reply in the history): name, state, button.
function sectionRow(section, label) {
  return h("li", { "data-section": section },
    h("span", { class: "row-label", text: labelOf(section, label) }),
    h("small", { class: "row-state muted" }));
}

function setRow(li, a) {
  const state = li.querySelector(".row-state");
  if (a.failed) state.textContent = "失败";
  else if (a.unchanged) state.textContent = `与第 ${a.version} 版相同`;
  else if (a.issues != null) state.textContent = a.issues ? `${a.issues} 处需要注意` : "未发现问题";
  if (a.version_id && !li.querySelector(".open-version")) li.append(versionButton(li.dataset.section, a));
}

// ---- one step of a reply ----
class Step {
  constructor(a, parent) {
    this.action = a.action;
    this.section = a.section || null;
    this.text = h("p", { class: "step-text" });
    this.el = h("div", { class: "step pending", "data-action": a.action, "data-section": a.section },
      a.action ? h("div", { class: "step-head", text: header(a) }) : null, this.text);
    this.rows = null; // draft_all: section id → li
    parent.append(this.el);
  }

  head(a) {
    const el = this.el.querySelector(".step-head");
    if (el) el.textContent = header(a);
    if (a.section) { this.section = a.section; this.el.dataset.section = a.section; }
  }

  add(el) { this.el.append(el); return el; }

  token(d) {
    if (this.action === "draft_all" && d.section) {
      // The section being written, as it streams; replaced by the next one.
      if (!this.preview) this.preview = this.add(h("div", { class: "step-draft" }));
      this.preview.append(d.text || "");
      return;
    }
    this.text.append(d.text || "");
  }

  progress(d) {
    if (!this.rows) {
      this.bar = this.add(h("progress", { max: String(d.total), value: "0", "aria-label": "整篇起草进度" }));
      this.status = this.add(h("p", { class: "step-progress muted", role: "status" }));
      this.list = this.add(h("ul", { class: "step-sections list" }));
      this.rows = new Map();
    }
    this.bar.max = d.total;
    this.bar.value = d.index - 1;
    const label = labelOf(d.section, d.label);
    this.status.textContent = `正在起草 ${d.index}/${d.total}：${label}`;
    if (!this.rows.has(d.section)) {
      const li = sectionRow(d.section, label);
      li.querySelector(".row-state").textContent = "起草中…";
      this.rows.set(d.section, li);
      this.list.append(li);
    }
    if (this.preview) this.preview.replaceChildren();
  }

  checks(d) {
    const issues = d.issues || [];
    if (this.rows && d.section && this.rows.has(d.section)) {
      setRow(this.rows.get(d.section), { issues: issues.length });
      return;
    }
    if (DRAFTS.has(this.action)) {
      this.add(h("p", { class: "step-checks muted", text: issues.length ? `检查：${issues.length} 处需要注意，见正文中的标注。` : "检查：未发现问题。" }));
      return;
    }
    const box = this.add(h("div", { class: "step-checks", "data-section": d.section }));
    if (d.section && d.section !== this.section) box.append(h("h5", { text: labelOf(d.section, d.label) }));
    if (!issues.length) { box.append(h("p", { class: "ok", text: "未发现问题。" })); return; }
    box.append(h("ul", { class: "issues" }, issues.map((i) => h("li", { class: `sev-${i.severity}` },
      h("span", { class: "sev", text: SEVERITY[i.severity] || i.severity }),
      i.text ? h("q", { text: i.text }) : null,
      h("span", { text: i.message }),
      i.suggestion ? h("small", { class: "muted", text: `建议：${i.suggestion}` }) : null))));
  }

  facts(d) {
    if (d.proposed) {
      if (!d.proposed.length) return;
      this.add(h("ul", { class: "proposed list" }, d.proposed.map((f) => {
        const li = h("li", { "data-fact-id": String(f.id) },
          h("span", { text: `${f.key}：${figure(f.value, f.unit)}` }));
        const decide = async (confirm) => {
          if (await decideFact(f.id, confirm)) {
            for (const b of li.querySelectorAll("button")) b.remove();
            li.append(h("small", { class: confirm ? "ok" : "muted", text: confirm ? " 已确认" : " 已拒绝" }));
          }
        };
        li.append(
          h("button", { type: "button", class: "confirm-fact", text: "确认", onclick: () => decide(true) }),
          h("button", { type: "button", class: "reject-fact", text: "拒绝", onclick: () => decide(false) }));
        return li;
      })));
      this.add(h("p", { class: "muted", text: "以上事实待确认：可在这里确认，也可在“事实表”的“待确认的事实”中确认；确认后才会写入报告。" }));
    } else if (d.facts && d.facts.length && !this.rows) {
      this.add(h("p", { class: "muted", text: "用到的事实：" + d.facts.map((f) => `${f.key} ${figure(f.value, f.unit)}`).join("、") }));
    }
  }

  citations(d) {
    const list = d.citations || [];
    if (!list.length) return;
    if (this.action === "search") {
      this.add(h("ul", { class: "cites" }, list.slice(0, 8).map((c) => h("li", {},
        h("span", { text: `《${c.title || c.source || "材料"}》${c.heading || ""}` }),
        c.text ? h("small", { class: "muted", text: ` ${c.text.slice(0, 60)}${c.text.length > 60 ? "…" : ""}` }) : null))));
    } else if (this.action === "sources") {
      this.add(h("ul", { class: "cites" }, list.slice(0, 12).map((c) => h("li", {},
        h("q", { text: (c.sentence || "").slice(0, 40) }),
        h("small", { class: "muted", text: ` 出处：${(c.refs && c.refs.length ? c.refs : c.targets || []).join("、")}` })))));
    } else if (this.action === "answer") {
      const keys = list.flatMap((c) => c.targets || []).filter((t) => t.startsWith("fact:")).map((t) => t.slice(5));
      if (keys.length) this.add(h("p", { class: "muted", text: `依据事实表：${[...new Set(keys)].join("、")}` }));
    }
  }

  gaps(d) {
    const list = d.sections || [];
    if (!list.length) return;
    this.add(h("ul", { class: "gaps" }, list.map((g) => {
      // each item of `missing` is a whole phrase already (尚未起草, 正文【待补充：…】处要补写)
      const parts = [...(g.missing || [])];
      return h("li", { "data-section": g.section },
        h("strong", { text: labelOf(g.section, g.label) }), h("span", { text: `：${parts.join("；") || "无"}` }));
    })));
  }

  error(d) {
    this.el.classList.add("failed");
    // A stream's error carries its status and code as an API error does (messages.js).
    this.add(h("p", { class: "error", role: "alert", text: `出错：${explain(d.status || 500, d.detail, d.code)}` }));
  }

  // What the step did, from done.actions (also for a reply in the history).
  outcome(a) {
    this.el.classList.remove("pending", "active");
    if (a.refused) this.el.classList.add("refused");
    if (a.needs_confirmation) this.el.classList.add("needs-confirmation");
    if (a.failed) this.el.classList.add("failed");
    if (this.preview) { this.preview.remove(); this.preview = null; }
    if (a.action === "draft_all") {
      if (this.bar) this.bar.value = this.bar.max;
      if (this.status) this.status.textContent = a.failed ? "整篇起草未完成。" : "整篇起草完成。";
      for (const s of a.sections || []) {
        let li = this.rows && this.rows.get(s.section);
        if (!li) {
          if (!this.list) this.list = this.add(h("ul", { class: "step-sections list" }));
          li = this.list.appendChild(sectionRow(s.section));
        }
        setRow(li, s);
      }
      for (const li of this.rows ? this.rows.values() : []) {
        const state = li.querySelector(".row-state");
        if (state.textContent === "起草中…") state.textContent = (a.kept || []).includes(li.querySelector(".row-label").textContent) ? "保留原文，未重写" : "";
      }
      if (!(a.sections || []).length && a.version_id && a.section) this.add(h("p", {}, versionButton(a.section, a)));
    } else if (a.version_id && a.section) {
      const p = this.add(h("p", { class: "step-version" }, versionButton(a.section, a)));
      if (a.unchanged) p.append(h("small", { class: "muted", text: `（与当前第 ${a.version} 版相同，未另存新版本。）` }));
    }
  }

  // pagefix: the user pressed 停止; nothing may still say 正在起草 / 起草中… (the part being
  // written is not saved, the server stops at its next token).
  stopped() {
    if (this.preview) { this.preview.remove(); this.preview = null; }
    if (!this.rows) return;
    let done = 0;
    for (const li of this.rows.values()) {
      const state = li.querySelector(".row-state");
      if (state.textContent === "起草中…") state.textContent = "已停止，未保存";
      else done += 1;
    }
    if (this.status) this.status.textContent = `已停止：写完 ${done}/${this.bar ? this.bar.max : done} 个部分，已写完的已保存。`;
  }
}

// ---- a reply as it streams ----
class Reply {
  constructor(log) {
    this.el = h("div", { class: "message assistant streaming" });
    this.steps = [];
    this.active = null;
    log.append(this.el);
  }

  plan(d) {
    for (const a of d.actions || []) this.steps.push(new Step(a, this.el));
  }

  step(d) {
    for (const s of this.steps.slice(0, d.index)) s.el.classList.remove("pending", "active");
    let s = this.steps[d.index];
    if (!s) { s = new Step(d, this.el); this.steps[d.index] = s; }
    s.head(d);
    s.el.classList.remove("pending");
    s.el.classList.add("active");
    this.active = s;
  }

  current() {
    // Events before any step (the report gone, say) go to a step without a header.
    if (!this.active) this.active = new Step({}, this.el);
    return this.active;
  }

  on(name, d) {
    if (name === "plan") this.plan(d);
    else if (name === "step") this.step(d);
    else if (name === "done") this.done(d);
    else if (name === "token") this.current().token(d);
    else if (name === "progress") this.current().progress(d);
    else if (name === "checks") this.current().checks(d);
    else if (name === "facts") this.current().facts(d);
    else if (name === "citations") this.current().citations(d);
    else if (name === "gaps") this.current().gaps(d);
    else if (name === "error") { this.current().error(d); this.el.classList.add("error"); }
    scrollLog();
  }

  done(d) {
    const actions = d.actions || [d];
    actions.forEach((a, i) => {
      let s = this.steps[i];
      if (!s) { s = new Step(a, this.el); this.steps[i] = s; }
      s.outcome(a);
    });
    for (const s of this.steps) s.el.classList.remove("pending", "active");
    this.el.classList.remove("streaming");
  }
}

// ---- the conversation ----
function userBubble(text) {
  return h("div", { class: "message user", text });
}

function historyBubble(m) {
  const el = h("div", { class: "message assistant", "data-message-id": String(m.id) },
    h("p", { class: "step-text", text: m.content }));
  const rows = [];
  for (const a of m.actions || []) {
    if (a.action === "draft_all") {
      for (const s of a.sections || []) if (s.version_id) rows.push([s.section, null, s]);
    } else if (a.version_id && a.section) rows.push([a.section, a.label, a]);
  }
  if (rows.length) {
    el.append(h("ul", { class: "step-sections list" }, rows.map(([section, label, a]) => {
      const li = sectionRow(section, label);
      setRow(li, a);
      return li;
    })));
  }
  return el;
}

export async function loadChat(id) {
  const log = $("#chat-log");
  log.replaceChildren();
  sending = null; // a reply still streaming belongs to the report left behind
  $("#chat-send").disabled = false;
  let messages;
  try {
    ({ messages } = await api(`/reports/${id}/chat`));
  } catch (err) {
    if (ctx.id === id) log.append(h("p", { class: "error", text: `对话记录加载失败：${err.message}` }));
    return;
  }
  if (ctx.id !== id || sending) return; // another report opened, or a message sent meanwhile
  log.replaceChildren(...messages.map((m) => (m.role === "user" ? userBubble(m.content) : historyBubble(m))));
  scrollLog();
}

$("#chat-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = $("#chat-input");
  const text = input.value.trim();
  if (!text || sending) return;
  input.value = "";
  const rid = ctx.id;
  const log = $("#chat-log");
  log.append(userBubble(text));
  const reply = new Reply(log);
  sending = reply;
  scrollLog();
  $("#chat-send").disabled = true;
  let done = null;
  const stop = new AbortController();
  const stopButton = $("#chat-stop");
  stopButton.hidden = false;
  stopButton.onclick = () => stop.abort();
  try {
    await stream("/chat", { report_id: rid, message: text }, (name, data) => {
      if (name === "done") done = data;
      reply.on(name, data);
    }, stop.signal);
  } catch (err) {
    if (stop.signal.aborted) {
      // The server stops at its next token and saves nothing of the part being written;
      // the parts finished before stay saved.
      for (const s of reply.steps) if (s) s.stopped();
      reply.el.append(h("p", { class: "muted", role: "status", text: "已停止。已写完的部分已保存，正在写的部分未保存。" }));
      if (ctx.id === rid) await refreshReport();
    } else {
      reply.on("error", { detail: err.message });
    }
  } finally {
    stopButton.hidden = true;
    reply.el.classList.remove("streaming");
    for (const s of reply.steps) s.el.classList.remove("pending", "active");
    if (sending === reply) {
      sending = null;
      $("#chat-send").disabled = false;
    }
  }
  if (done && ctx.id === rid) {
    await Promise.all([refreshReport(), loadFacts()]);
    if (done.section && ctx.id === rid) await openSection(done.section, done.version_id);
  }
});

// Enter sends (also Ctrl/⌘+Enter); Shift+Enter breaks the line; Enter that ends an IME
// composition picks the candidate and sends nothing.
$("#chat-input").addEventListener("keydown", (e) => {
  if (e.key !== "Enter" || e.isComposing || e.keyCode === 229) return;
  if (e.shiftKey && !e.ctrlKey && !e.metaKey) return;
  e.preventDefault();
  $("#chat-form").requestSubmit();
});
