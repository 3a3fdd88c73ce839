import * as L from "/tmp/check1/lib.mjs";
const tag = process.argv[2] || "zh";
const path = process.argv[3] || "/data";
const b = await L.launch();
const c = await b.newContext({ locale: tag == "zh" ? "zh-CN" : "en-US", viewport: { width: 1280, height: 800 }, storageState: `/tmp/check1/${tag}-state-big.json` });
const logs = [];
const p = await L.page(c, logs);
await p.goto(L.URL + path);
for (const t of [1000, 3000, 8000]) {
  await p.waitForTimeout(t);
  console.log(t, "header:", (await L.header(p)).slice(0, 120));
}
await p.screenshot({ path: `/tmp/check1/${tag}-08-restart${path.replace('/','-')}.png` });
console.log("ls:", JSON.stringify(await L.lsInfo(p)).slice(0, 300));
console.log("logs:", logs.filter(l=>!l.includes("integrity")).join("\n"));
await b.close();
