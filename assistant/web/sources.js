// Where a fact came from, in words (issue 15): the API names it "chat:12" or
// "upload:统计表.xlsx#Sheet1!B3", which the page showed as it was.
export function sourceLabel(source) {
  const s = String(source || "");
  if (!s || s === "user") return "用户填写";
  if (s === "chat" || s.startsWith("chat:")) return "对话中提到";
  if (s.startsWith("upload:")) {
    const rest = s.slice("upload:".length);
    const hash = rest.lastIndexOf("#");
    const file = hash >= 0 ? rest.slice(0, hash) : rest;
    const where = hash >= 0 ? rest.slice(hash + 1) : "";
    const bang = where.lastIndexOf("!");
    const sheet = bang >= 0 ? where.slice(0, bang) : "";
    const cell = bang >= 0 ? where.slice(bang + 1) : where;
    const at = [sheet && `工作表“${sheet}”`, cell && `${cell} 格`].filter(Boolean).join("，");
    return `上传材料“${file}”${at ? "（" + at + "）" : ""}`;
  }
  return `“${s}”`;
}
