// Renders icons/icon.svg to the PNG icons the manifest names (run once
// after changing the SVG; the PNGs are committed):
//   icons/icon-192.png, icons/icon-512.png  the icon as drawn
//   icons/maskable-512.png                   full-bleed, the pyramid inside
//                                            the central 80 % safe zone
// Usage: node scripts/icons.mjs
import fs from "node:fs";
import { chromium } from "@playwright/test";

const svg = fs.readFileSync("icons/icon.svg", "utf8");
const inner = svg.replace(/<rect width="512" height="512" rx="96" fill="([^"]+)"\/>/, (_, fill) => `<rect width="512" height="512" fill="${fill}"/><g transform="translate(76.8 76.8) scale(0.7)">`).replace("</svg>", "</g></svg>");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage();
for (const [file, source, size] of [
  ["icons/icon-192.png", svg, 192],
  ["icons/icon-512.png", svg, 512],
  ["icons/maskable-512.png", inner, 512],
]) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${source.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: file, omitBackground: true });
  console.log(file);
}
await browser.close();
