// Calls to /api/v1 with the session cookie; errors carry the API's detail.
import { explain } from "./messages.js";

const BASE = "/api/v1";
// Sent with every call: the server refuses cookie-signed changes without it or a JSON body
// (CSRF), and a page on another origin cannot add it without a preflight the server never grants.
const PAGE = { "X-Requested-With": "gongwen" };

// message: a Chinese sentence saying what to do (messages.js), never the raw detail or status.
export class ApiError extends Error {
  constructor(status, detail, code) {
    super(explain(status, detail, code));
    this.status = status;
    this.detail = detail;
    this.code = code || (detail && detail.code) || "";
  }
}

export function detailText(d) {
  if (d == null) return "";
  if (typeof d === "string") return d;
  if (Array.isArray(d)) return d.map((e) => (e.loc ? `${e.loc.join(".")}: ${e.msg}` : detailText(e))).join("；");
  if (d.message) return d.message;
  return JSON.stringify(d);
}

async function fail(r) {
  let body = null;
  try { body = await r.json(); } catch { /* not JSON */ }
  return new ApiError(r.status, body ? body.detail : null, body ? body.code : undefined);
}

export async function api(path, { method = "GET", body } = {}) {
  const init = { method, credentials: "same-origin", headers: { ...PAGE } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const r = await fetch(BASE + path, init);
  if (!r.ok) throw await fail(r);
  return r.status === 204 ? null : r.json();
}

// POST that answers Server-Sent Events; onEvent(name, data) for each event. ``signal`` (an
// AbortController's) stops it: the server notices the closed connection and stops the work.
export async function stream(path, body, onEvent, signal) {
  const r = await fetch(BASE + path, {
    method: "POST",
    signal,
    credentials: "same-origin",
    headers: { ...PAGE, "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw await fail(r);
  const reader = r.body.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (!data.length) continue; // keep-alive comment
      let parsed;
      try { parsed = JSON.parse(data.join("\n")); } catch { parsed = { text: data.join("\n") }; }
      onEvent(name, parsed);
    }
  }
}

// Multipart upload with progress (fetch has no upload progress).
export function upload(form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", BASE + "/documents");
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(PAGE)) xhr.setRequestHeader(name, value);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response);
      else reject(new ApiError(xhr.status, xhr.response ? xhr.response.detail : null, xhr.response ? xhr.response.code : undefined));
    };
    xhr.onerror = () => reject(new ApiError(0, "网络错误，上传失败", "network"));
    xhr.send(form);
  });
}

// A list answer with the number of matches in all (X-Total-Count): the audit logs page with
// limit and offset (admin.js).
export async function apiList(path) {
  const r = await fetch(BASE + path, { credentials: "same-origin", headers: { ...PAGE } });
  if (!r.ok) throw await fail(r);
  return { items: await r.json(), total: Number(r.headers.get("X-Total-Count") || 0) };
}
