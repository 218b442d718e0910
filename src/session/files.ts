/** The files of a run, each written atomically: X.json, X.md and X.html for jsonPath = X.json. */
import { writeFileAtomic } from '../core/atomic-write.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import type { Report } from '../report/schema.js';
import { renderStabilityHtml, renderStabilityMarkdown } from '../report/stability-render.js';
import type { StabilityFile } from '../report/stability-schema.js';

/** Writes a report as X.json, X.md and X.html. */
export async function writeReportFiles(jsonPath: string, report: Report): Promise<void> {
  const stem = jsonPath.replace(/\.json$/, '');
  writeFileAtomic(`${stem}.json`, `${JSON.stringify(report, null, 1)}\n`);
  writeFileAtomic(`${stem}.md`, renderMarkdown(report));
  writeFileAtomic(`${stem}.html`, await renderHtml(report));
}

/** Writes a stability file as X.json, X.md and X.html. */
export async function writeStabilityFiles(jsonPath: string, file: StabilityFile): Promise<void> {
  const stem = jsonPath.replace(/\.json$/, '');
  writeFileAtomic(`${stem}.json`, `${JSON.stringify(file, null, 1)}\n`);
  writeFileAtomic(`${stem}.md`, renderStabilityMarkdown(file));
  writeFileAtomic(`${stem}.html`, await renderStabilityHtml(file));
}
