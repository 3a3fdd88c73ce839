import * as L from "/tmp/check1/lib.mjs";
const tag = process.argv[2] || "zh";
const n = process.argv[3] || "0";
const b = await L.launch();
const c = await b.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 800 }, storageState: `/tmp/check1/${tag}-state-big.json` });
const logs = [];
const p = await L.page(c, logs);
await p.goto(L.URL + "/chart");
await p.waitForTimeout(5000);
const h = await L.header(p);
const blocked = h.includes("存储无法打开") || h.includes("我的销售组织");
console.log(n, blocked ? "BLOCKED" : "ok", h.slice(0, 60));
if (blocked) { await p.screenshot({ path: `/tmp/check1/zh-10-blocked-${n}.png` }); console.log(logs.join("\n")); }
await b.close();
