// Opens docket's html export in Debian's headless Chromium, types a word into the
// search box and prints what the page lists, as JSON on stdout.
//   node search.mjs <index.html> <word> <expected title>
// Exits 1 when the expected title is not among the results or the article page it links
// to does not show that title.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";

const [, , indexPath, word, expected] = process.argv;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
  ],
});
let ok = false;
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(indexPath).href);
  await page.locator("#search").pressSequentially(word, { delay: 20 });
  await page.waitForSelector("#search-results li", { timeout: 10000 });
  const results = await page.$$eval("#search-results a", (as) =>
    as.map((a) => ({ title: a.textContent, href: a.getAttribute("href") })),
  );
  const hit = results.find((r) => r.title === expected);
  let heading = null;
  if (hit) {
    await page.click(`#search-results a[href="${hit.href}"]`);
    await page.waitForLoadState("load");
    heading = await page.textContent("main h1");
  }
  ok = Boolean(hit) && heading === expected && errors.length === 0;
  console.log(JSON.stringify({ results, heading, errors, url: page.url() }));
} finally {
  await browser.close();
}
process.exit(ok ? 0 : 1);
