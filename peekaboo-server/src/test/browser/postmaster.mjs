// Drives Debian's chromium through the postmaster's page as a person would: reads the overview,
// types a SHA-256 into the look-up form, submits it and reads what the page then shows.
// Prints one JSON object with what was seen; screenshots go to the directory given.
// Usage: node postmaster.mjs <base URL> <sha256> <screenshot dir>
// PLAYWRIGHT_CORE names playwright-core's index.mjs (installed by scripts/test with npm).
const { chromium } = await import(process.env.PLAYWRIGHT_CORE);
const [base, sha256, shots] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  // As root in a sandbox-less container; no network beyond loopback here, so nothing in the
  // background may try to reach one.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const texts = async (page, selector) =>
  (await page.locator(selector).allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  const overviewResponse = await page.goto(`${base}/postmaster`);
  const overview = {
    status: overviewResponse.status(),
    title: await page.title(),
    heading: await page.locator('h1').innerText(),
    latest: await texts(page, 'table.latest tr'),
    counts: await texts(page, 'table.counts tr'),
  };
  await page.screenshot({ path: `${shots}/postmaster-overview.png`, fullPage: true });

  await page.fill('#q', sha256);
  await Promise.all([page.waitForURL(/\/postmaster\/lookup/), page.click('button[type=submit]')]);
  const lookup = {
    url: page.url(),
    heading: await page.locator('h1').innerText(),
    jobs: await texts(page, 'section.analysis h2'),
    chain: await texts(page, 'ol.chain li'),
    report: await texts(page, 'table.report tr'),
  };
  await page.screenshot({ path: `${shots}/postmaster-lookup.png`, fullPage: true });
  const elsewhere = requests.filter((url) => !url.startsWith(base));
  console.log(JSON.stringify({ overview, lookup, elsewhere }));
} finally {
  await browser.close();
}
