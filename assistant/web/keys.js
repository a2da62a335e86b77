// The API 密钥 area of the report list: make a key (its secret is shown once), list, revoke.
// Keys let Open WebUI, Chatbox, Cherry Studio or a script act for the user at /v1.
import { api } from "./api.js";
import { $, h, show } from "./dom.js";

const SCOPES = { read: "只读", draft: "读取和起草" };
const STATES = { active: "有效", revoked: "已吊销", expired: "已过期" };
let me = null;

const day = (iso) => (iso ? iso.slice(0, 10) : "—");

function row(k) {
  const revoke = k.status === "active"
    ? h("button", { type: "button", class: "revoke-key", text: "吊销", onclick: () => revokeKey(k) })
    : null;
  return h("tr", { "data-key-id": String(k.id) },
    h("td", { text: k.name }),
    h("td", {}, h("code", { text: `${k.prefix}…` })),
    h("td", { text: SCOPES[k.scope] || k.scope }),
    h("td", { class: k.status === "active" ? "ok" : "muted", text: STATES[k.status] || k.status }),
    h("td", { text: k.expires_at ? day(k.expires_at) : "不过期" }),
    h("td", { text: day(k.last_used_at) }),
    h("td", { class: "key-owner", text: k.owner }),
    h("td", {}, revoke),
  );
}

export async function loadKeys(user) {
  me = user;
  $("#keys-base").textContent = `${location.origin}/v1`;
  show($("#keys-all-label"), !!me && me.role === "admin");
  const all = me && me.role === "admin" && $("#keys-all").checked;
  let keys = [];
  try {
    keys = await api(all ? "/keys?all=true" : "/keys");
  } catch (ex) {
    $("#key-error").textContent = ex.message; // ApiError: a Chinese sentence (messages.js)
  }
  const body = $("#keys-table tbody");
  body.replaceChildren(...keys.map(row));
  show($("#keys-table"), keys.length > 0);
  show($("#keys-none"), keys.length === 0);
}

async function revokeKey(k) {
  if (!confirm(`吊销密钥“${k.name}”？使用它的客户端将立即无法访问。`)) return;
  $("#key-error").textContent = "";
  try {
    await api(`/keys/${k.id}`, { method: "DELETE" });
  } catch (ex) {
    $("#key-error").textContent = ex.message; // ApiError: a Chinese sentence (messages.js)
  }
  await loadKeys(me);
}

$("#key-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("#key-error").textContent = "";
  const days = $("#key-expiry").value;
  const body = { name: $("#key-name").value.trim(), scope: $("#key-scope").value };
  if (days) body.expires_days = Number(days);
  $("#key-create").disabled = true;
  try {
    const made = await api("/keys", { method: "POST", body });
    $("#key-secret").textContent = made.key;
    show($("#key-new"), true);
    $("#key-name").value = "";
    await loadKeys(me);
  } catch (ex) {
    $("#key-error").textContent = ex.message; // ApiError: a Chinese sentence (messages.js)
  } finally {
    $("#key-create").disabled = false;
  }
});

$("#key-copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("#key-secret").textContent);
    $("#key-copy").textContent = "已复制";
  } catch {
    $("#key-copy").textContent = "请手动复制";
  }
});

// The secret is not kept on the page longer than needed: hiding it forgets it.
$("#key-hide").addEventListener("click", () => {
  $("#key-secret").textContent = "";
  $("#key-copy").textContent = "复制";
  show($("#key-new"), false);
});

$("#keys-all").addEventListener("change", () => loadKeys(me));
