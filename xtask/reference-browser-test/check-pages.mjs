// Opens every page `cargo xtask publish` wrote, from the file system, in a real headless Chromium,
// as a reader of the offline reference would. Fails if a page logs an error, asks for anything
// that is not a local file, or does not render every operation of its document; saves a
// screenshot of each page.
//
//   node check-pages.mjs <dist dir> <screenshot dir>
//
// What a page must show comes from dist/index.json (written by publish from the documents), not
// from the page, so a page that silently drops an operation fails here.

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

// The most of a page a screenshot shows, in CSS pixels.
const SCREENSHOT_HEIGHT = 12_000;

const [distArg, shotsArg] = process.argv.slice(2);
if (!distArg || !shotsArg) {
  console.error("usage: node check-pages.mjs <dist dir> <screenshot dir>");
  process.exit(2);
}
const dist = resolve(distArg);
const shots = resolve(shotsArg);
const index = JSON.parse(readFileSync(join(dist, "index.json"), "utf8"));
mkdirSync(shots, { recursive: true });

// Debian's Chromium; playwright-core never downloads a browser of its own.
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  console.error(`no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM)`);
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath,
  // The background-networking flags keep Chromium from calling home, which a closed network
  // answers with refused connections that are nothing to do with the page.
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

const failures = [];
const fail = (page, what) => failures.push(`${page}: ${what}`);

async function open(file, check) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") fail(file, `console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => fail(file, `uncaught exception: ${e.message}`));
  page.on("requestfailed", (r) => fail(file, `could not load ${r.url()}: ${r.failure()?.errorText}`));
  // Offline means offline: anything but a local file is refused and reported.
  await page.route(/^(?!file:)/, (route) => {
    fail(file, `asked for ${route.request().url()}, which is not a local file`);
    return route.abort();
  });
  const response = await page.goto(pathToFileURL(join(dist, file)).href, { waitUntil: "load" });
  if (!response) fail(file, "did not load");
  try {
    await check(page);
  } catch (e) {
    fail(file, `check failed: ${e.message}`);
  }
  // The stylesheet applied: its custom properties are set on the root (a file:// sheet's rules
  // cannot be read from the page, and a sheet that failed to load still has a CSSStyleSheet).
  const styled = await page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue("--text").trim(),
  );
  if (styled === "") fail(file, "the stylesheet did not apply (no --text on :root)");
  // A screenshot for people to look at: the whole page, or its first screens when it is very tall.
  // The viewport is made that tall instead of asking for a full-page shot: a full-page shot of the
  // EIAM reference (hundreds of thousands of pixels) lays out the whole page at its full height
  // and timed out, even with a clip.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const width = page.viewportSize()?.width ?? 1280;
  await page.setViewportSize({ width, height: Math.min(height, SCREENSHOT_HEIGHT) });
  await page.screenshot({
    path: join(shots, file.replace(/\.html$/, ".png")),
    timeout: 120_000,
  });
  await context.close();
}

// Each link on a page to another published file must point at a file that exists.
async function checkLocalLinks(page, file) {
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")));
  for (const href of hrefs) {
    if (/^(https?:|mailto:|#)/.test(href)) continue;
    if (!existsSync(join(dist, href.split("#")[0]))) fail(file, `links to ${href}, which is not in dist/`);
  }
}

await open("index.html", async (page) => {
  for (const doc of index.documents) {
    for (const key of ["html", "json", "yaml"]) {
      const n = await page.locator(`a[href="${doc[key].path}"]`).count();
      if (n === 0) fail("index.html", `no link to ${doc[key].path}`);
    }
    const title = await page.getByText(doc.title, { exact: false }).count();
    if (title === 0) fail("index.html", `does not name ${doc.title}`);
  }
  await checkLocalLinks(page, "index.html");
});

for (const doc of index.documents) {
  const file = doc.html.path;
  await open(file, async (page) => {
    if (doc.operations.length === 0) fail(file, "index.json lists no operation");
    for (const id of doc.operations) {
      const section = page.locator(`section.operation[data-operation-id="${id}"]`);
      if ((await section.count()) !== 1) {
        fail(file, `operation ${id}: ${await section.count()} sections, expected 1`);
        continue;
      }
      if (!(await section.isVisible())) fail(file, `operation ${id} is not visible`);
      const heading = (await section.locator("h3").first().innerText()).trim();
      if (!heading.includes(id)) fail(file, `operation ${id}: heading reads "${heading}"`);
    }
    // Nothing rendered that index.json does not know of (a stale or duplicated operation).
    const rendered = await page.$$eval("section.operation", (ss) => ss.map((s) => s.dataset.operationId));
    const extra = rendered.filter((id) => !doc.operations.includes(id));
    if (extra.length > 0) fail(file, `renders operations not in the document: ${extra.join(", ")}`);
    const auth = await page.locator("#authentication").innerText();
    if (auth.trim().length === 0) fail(file, "says nothing about authentication");
    await checkLocalLinks(page, file);
  });
}

await browser.close();
const pages = 1 + index.documents.length;
if (failures.length > 0) {
  console.error(failures.map((f) => `FAIL ${f}`).join("\n"));
  console.error(`${failures.length} failure(s) in ${pages} pages`);
  process.exit(1);
}
const operations = index.documents.reduce((n, d) => n + d.operations.length, 0);
console.log(`${pages} pages, ${operations} operations rendered, no errors; screenshots in ${shots}`);
