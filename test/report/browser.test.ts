/**
 * The HTML report as a reader gets it: the sample report opened from disk in headless Chromium.
 * Needs /usr/bin/chromium (Debian's package); without it the test is skipped, unless
 * RANKCHECK_REQUIRE_BROWSER=1 (as in CI), where a missing browser is a failure.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { validateReport } from '../../src/report/schema.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const REQUIRED = process.env.RANKCHECK_REQUIRE_BROWSER === '1';
const SAMPLE = new URL('../fixtures/reports/sample-report.json', import.meta.url);
const SCREENSHOT = fileURLToPath(new URL('../../reports/screenshots/report.png', import.meta.url));
// vitest has no skip note; the title carries the reason so the skip is visible in the output.
const SKIP_NOTE =
  HAVE_CHROMIUM || REQUIRED
    ? ''
    : ` [skipped: ${CHROMIUM} not found; apt-get install chromium, or set RANKCHECK_REQUIRE_BROWSER=1 to fail instead]`;

describe('report.html in headless Chromium', () => {
  it.skipIf(!HAVE_CHROMIUM && !REQUIRED)(
    `loads offline with no error and no request but itself, shows every figure and a summary row per claim${SKIP_NOTE}`,
    async () => {
      if (!HAVE_CHROMIUM)
        throw new Error(
          `RANKCHECK_REQUIRE_BROWSER=1 but ${CHROMIUM} does not exist: install Debian's chromium (apt-get install -y chromium)`,
        );
      const report = validateReport(JSON.parse(readFileSync(SAMPLE, 'utf8')));
      // The sample predates reach: give its first claim the tables a real report carries.
      report.claims[0].reach = {
        rows: [
          { quantity: 'd', paper: '64', tested: '8' },
          {
            quantity: 'training',
            paper: '100 000–200 000 × batch 256 (1000–2000 epochs of 100 batches)',
            tested: null,
          },
        ],
        numbers: [
          {
            label: 'one layer, one full-rank head, c = 1: MSE',
            paper: 0.015,
            source: 'arXiv 2407.16153, Figure 1 (one layer, read off the plot)',
            check: report.claims[0].checks[0].name,
            metric: 'm',
            ours: 0.0609512,
            setting: 'scaled down',
          },
          {
            label: 'one layer, one full-rank head, c = 64: MSE',
            paper: 0.002,
            source: 'arXiv 2407.16153, Figure 1 (one layer, read off the plot)',
            check: report.claims[0].checks[0].name,
            metric: null,
            ours: null,
            setting: null,
          },
        ],
      };
      const dir = mkdtempSync(join(tmpdir(), 'rankcheck-html-'));
      const file = join(dir, 'report.html');
      writeFileSync(file, await renderHtml(report));
      const url = pathToFileURL(file).href;

      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const problems: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
        });
        page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
        page.on('requestfailed', (r) =>
          problems.push(`failed request: ${r.url()} (${r.failure()?.errorText ?? 'unknown'})`),
        );
        page.on('request', (r) => requests.push(r.url()));

        await page.goto(url, { waitUntil: 'load' });

        expect(problems).toEqual([]);
        // Self-contained means the page fetches nothing: the only request is the document.
        expect(requests).toEqual([url]);

        const figures = report.claims.flatMap((c) => c.figures).length;
        const svgs = page.locator('svg');
        await expect.poll(() => svgs.count()).toBe(figures);
        for (let k = 0; k < figures; k++) {
          const svg = svgs.nth(k);
          expect(await svg.isVisible()).toBe(true);
          const box = await svg.boundingBox();
          expect(box?.width ?? 0).toBeGreaterThan(0);
          expect(box?.height ?? 0).toBeGreaterThan(0);
        }
        expect(await page.locator('table.summary tbody tr').count()).toBe(report.claims.length);
        // At a common laptop width nothing should need a horizontal scrollbar.
        // (A string expression: this project compiles without the DOM library.)
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1200);
        // Every checks table reads at a glance: its summary column keeps a readable measure (at
        // least 250 px, about 40 characters: the old automatic layout gave it 100-160 px, a word
        // per line) and no cell's content spills out of its cell.
        const layout = await page.evaluate<{ summary: number; table: number; spills: number }[]>(`
          [...document.querySelectorAll('table.checks')].map((t) => ({
            summary: t.querySelector('td.summary').getBoundingClientRect().width,
            table: t.getBoundingClientRect().width,
            spills: [...t.querySelectorAll('td, th')].filter((c) => c.scrollWidth > c.clientWidth + 1).length,
          }))`);
        expect(layout.length).toBeGreaterThan(0);
        for (const t of layout) {
          expect(t.summary).toBeGreaterThanOrEqual(250);
          expect(t.spills).toBe(0);
        }
        // The reach tables: shown where declared, every cell's content inside its cell.
        const reach = await page.evaluate<{ rows: number; spills: number }[]>(`
          [...document.querySelectorAll('table.reach, table.reach-numbers')].map((t) => ({
            rows: t.querySelectorAll('tbody tr').length,
            spills: [...t.querySelectorAll('td, th')].filter((c) => c.scrollWidth > c.clientWidth + 1).length,
          }))`);
        expect(reach).toEqual([
          { rows: 2, spills: 0 },
          { rows: 2, spills: 0 },
        ]);

        mkdirSync(dirname(SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
        expect(existsSync(SCREENSHOT)).toBe(true);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
