// What the page says when the API refuses: one Chinese sentence per error code (the API sends a
// machine-readable `code` beside `detail`), so no English text or raw status reaches the user.
// The server's own message is shown when it is already plain Chinese (it names the section or
// file); otherwise the code's sentence stands in for it. Either way the user is told what to do.

// code → [what happened, what to do]
const BY_CODE = {
  unauthenticated: ["登录已失效", "请重新登录。"],
  forbidden: ["您没有权限进行这项操作", "如需操作，请联系报告的起草人或管理员。"],
  not_drafter: ["只有报告的起草人（或管理员）可以提交审核", "请联系起草人提交。"],
  not_reviewer: ["只有本报告指定的审核人（或管理员）可以审核", "如需审核，请起草人把您加为本报告的审核人。"],
  own_text: ["这一版是您本人撰写的，不能由您批准", "请由另一位审核人审核。"],
  review_blocked: ["该部分还有错误，不能直接批准", "请退回起草人修改，或在“放行理由”中写明理由后再批准。"],
  review_stale: ["该部分在您查看后有了新版本", "请重新打开这一部分，看过最新版本后再审核。"],
  review_state: ["该部分当前的状态不允许这项操作", "请刷新页面查看最新状态。"],
  comment_required: ["退回修改时需要写明修改意见", "请在“审核意见”中写明要改什么。"],
  stale_base: ["该部分已被他人修改", "请查看最新版本后再保存。"],
  confirm_overwrite: ["重新起草会取代人工修改或已批准的文字", "确认后再重新起草。"],
  conflict: ["内容刚有变动", "请刷新页面后重试。"],
  duplicate_upload: ["已有同名文件", "如要换成新文件，请先在“上传材料”中删除它，再重新上传。"],
  not_found: ["找不到这项内容，可能已被删除或您无权查看", "请返回报告列表刷新后再试。"],
  too_large: ["文件或内容太大，超过了上限", "请压缩或拆分后再上传。"],
  too_many_pages: ["扫描件页数太多", "请拆分成几个文件后分别上传。"],
  too_much_text: ["文件中的文字太多，无法建立索引", "请只上传需要的部分。"],
  unsupported: ["不支持这种文件类型", "请上传 Word、Excel、PDF、OFD、文本或图片文件。"],
  unreadable: ["文件无法读取（可能已损坏、为空或加密）", "请检查文件后重新上传。"],
  convert_timeout: ["文件转换超时", "请另存为 Word 或 PDF 后再上传。"],
  converter_missing: ["服务器上缺少转换这种文件的程序", "请另存为 Word 或 PDF 后再上传，或联系管理员。"],
  ocr_missing: ["服务器上没有文字识别（OCR）程序，读不了扫描件", "请上传含文字的文件，或联系管理员安装。"],
  ocr_timeout: ["扫描件识别超时", "请拆分成几个文件后分别上传。"],
  parse_timeout: ["读取文件超时", "请拆分或另存后再上传。"],
  parse_crashed: ["读取文件时出错", "请另存为 Word 或 PDF 后再上传。"],
  fact_sheet: ["事实表填写有误", "请按提示修改后再保存。"],
  outline: ["提纲填写有误", "请按提示修改后再保存。"],
  account: ["账号信息有误", "请检查后重试。"],
  api_key: ["密钥信息有误", "请检查后重试。"],
  invalid: ["填写的内容有误", "请检查后重试。"],
  validation: ["填写的内容有误", "请按提示修改后重试。"],
  bad_request: ["请求有误", "请刷新页面后重试。"],
  method_not_allowed: ["页面版本与服务器不一致", "请刷新页面后重试。"],
  rate_limited: ["操作过于频繁", "请稍后再试。"],
  busy: ["服务器繁忙", "请稍后再试。"],
  unavailable: ["服务暂时不可用（例如大模型服务连不上）", "请稍后再试，如仍不行请联系管理员。"],
  llm: ["大模型服务出错", "请稍后再试，或联系管理员检查大模型设置。"],
  network: ["网络错误，没有连上服务器", "请检查网络后重试。"],
  internal: ["服务器出错了", "请稍后重试，如仍不行请联系管理员。"],
  // a report's sections added, removed, renamed, moved (structure.js, issue 15)
  section_removed: ["这一部分已从报告中删除", "请刷新页面后再操作。"],
  section_not_found: ["报告中没有这一部分", "请刷新页面后再操作。"],
  stale_structure: ["报告的各部分刚被他人调整过", "请查看刷新后的结构再改。"],
  structure_rule: ["这样调整不符合报告的格式", "请按提示修改后重试。"],
};
const BY_STATUS = { 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict",
  413: "too_large", 415: "unsupported", 422: "invalid", 429: "rate_limited", 503: "unavailable" };

// The names the API uses for what the user fills in, as the page labels them.
const FIELDS = {
  reviewers: "审核人", comment: "审核意见", override_reason: "放行理由", text: "正文",
  title: "标题", facts: "事实表", key: "名称", value: "数值", unit: "单位", note: "备注",
  report: "报告信息", template: "模板", organization: "发文单位", recipient: "主送机关",
  period: "时期", date: "成文日期", username: "用户名", password: "密码", action: "操作",
  versions: "版本", version_id: "版本", base_version: "版本", instruction: "起草要求",
  message: "消息", name: "名称", file: "文件", report_id: "报告", sections: "各部分",
  heading: "标题", role: "角色", scope: "权限", expires_days: "有效期", facts_of: "事实",
};
// The structure's fields (structure.js, issue 15).
Object.assign(FIELDS, { kind: "类型", position: "位置", order: "顺序", etag: "结构版本" });
// pydantic's error types (the `type` of each problem in a 422's list).
const PROBLEMS = {
  missing: "必须填写", string_too_short: "不能为空", string_too_long: "太长了，请删减",
  string_type: "应为文字", int_parsing: "应为整数", int_type: "应为整数", int_from_float: "应为整数",
  float_parsing: "应为数字", float_type: "应为数字", bool_parsing: "应为“是”或“否”",
  bool_type: "应为“是”或“否”", literal_error: "不是可选的值", enum: "不是可选的值",
  extra_forbidden: "不应填写", greater_than_equal: "超出允许的范围", less_than_equal: "超出允许的范围",
  greater_than: "超出允许的范围", less_than: "超出允许的范围", too_long: "项目太多",
  too_short: "项目太少", json_invalid: "格式有误", dict_type: "格式有误", list_type: "应为列表",
  model_type: "格式有误", date_from_datetime_parsing: "日期格式有误", date_parsing: "日期格式有误",
};
const WRAPPERS = new Set(["body", "query", "path", "header", "form"]);
// Latin words that are the product names users know, and file extensions; anything else in
// Latin letters outside quotation marks makes a server message unfit to show as it is.
const KNOWN = /\b(?:Word|WPS|Excel|PDF|OFD|OCR|LLM|API|docx?|xlsx?|pptx?|csv|txt|md|pdf|ofd|png|jpe?g|tiff?|wps|et|dps)\b/g;

// "reviewers[0]" / ["body", "reviewers", 0] → "审核人第1项"; an unknown name → "其中一项".
export function fieldName(path) {
  const parts = Array.isArray(path) ? path : String(path).split(/[.[\]]+/).filter(Boolean);
  let out = "";
  for (const raw of parts) {
    const p = typeof raw === "number" || /^\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof p === "number") out += `第${p + 1}项`;
    else if (!WRAPPERS.has(p)) out += FIELDS[p] ? (out ? "的" : "") + FIELDS[p] : (out ? "" : "其中一项");
  }
  return out || "填写的内容";
}

// Plain Chinese: no Latin words but known names (text in “quotes” is the user's own).
export function isPlainChinese(text) {
  if (!text || !/[\u4e00-\u9fff]/.test(text)) return false;
  const bare = text.replace(/“[^”]*”/g, "").replace(KNOWN, "");
  return !/[A-Za-z]{2,}/.test(bare) && !/\bHTTP\b/.test(text);
}

// A leading field path ("reviewers[0]：…", "facts[1].value: …") in the page's words.
function withFieldNames(text) {
  return text.replace(/^([A-Za-z_][\w]*(?:\[\d+\]|\.[A-Za-z_]\w*)*)\s*[:：]\s*/, (_, path) => `${fieldName(path)}：`);
}

// The fact sheet's English refusals (the CLI's words) in the page's: the field named above,
// what is wrong with it here (walk-through: a bad value got only 填写的内容有误).
const PHRASES = [
  [/value '(.+?)' is not a number, but unit '(.+?)' says it counts/, "数值“$1”不是数字，但单位“$2”表示计数，请填写数字或清空单位"],
  [/must be text or a number/, "应为文字或数字"],
  [/at most (\d+) characters/, "最多 $1 个字，请删减"],
  [/key must not be blank|String should have at least 1 character/, "不能为空"],
];

function translated(text) {
  return PHRASES.reduce((t, [pattern, words]) => t.replace(pattern, words), text);
}

function problemList(items) {
  const lines = items.map((e) => {
    const problem = PROBLEMS[e.type] || "不符合要求";
    return `${fieldName(e.loc || [])}${problem}`;
  });
  return `${[...new Set(lines)].join("；")}。请修改后重试。`;
}

function serverText(detail) {
  if (detail == null) return "";
  if (typeof detail === "string") return detail;
  if (typeof detail === "object" && typeof detail.message === "string") return detail.message;
  return "";
}

function sentence(text) {
  return /[。！？]$/.test(text) ? text : text + "。";
}

// The Chinese sentence for a refusal: explain(status, detail, code).
export function explain(status, detail, code) {
  if (Array.isArray(detail)) return problemList(detail);
  const key = BY_CODE[code] ? code : BY_STATUS[status] || (status === 0 ? "network" : "internal");
  const [what, todo] = BY_CODE[key];
  const said = translated(withFieldNames(serverText(detail).trim()));
  if (isPlainChinese(said)) {
    // The server's words name what was refused; add what to do when they do not say it.
    return /请/.test(said) ? sentence(said) : `${sentence(said)}${todo}`;
  }
  return `${what}。${todo}`;
}

// The same for one section's outcome in a whole-report action (submit-all, approve-all).
export function explainOutcome(o) {
  return o.outcome === "refused" ? explain(409, o.message, o.code) : o.message;
}

// ---- issue 19: a password-protected file (code `encrypted`); the server's own sentence names
// the file and is shown when it is plain Chinese, this one stands in for it otherwise.
BY_CODE.encrypted = ["文件设有打开密码（已加密），读不出其中的文字", "请用 WPS 等办公软件输入密码打开它，取消密码后另存，再上传另存的文件。"];
