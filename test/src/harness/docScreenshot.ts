import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { repoRoot } from './paths';
import type { Workbench } from './workbench';

/**
 * Takes a screenshot for docs/extension.md: saved in test-results/, and copied
 * to docs/images/ when missing there or when BATON_UPDATE_SCREENSHOTS=1.
 */
export async function docScreenshot(workbench: Workbench, name: string): Promise<void> {
  const shot = await workbench.screenshot(name);
  const target = path.join(repoRoot, 'docs', 'images', `${name}.png`);
  if (!fs.existsSync(target) || process.env['BATON_UPDATE_SCREENSHOTS'] === '1') {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(shot, target);
  }
}

/** The content frame of the webview whose tab is active (VS Code nests it in two iframes). */
export function activeWebview(workbench: Workbench): FrameLocator {
  return workbench.page
    .frameLocator('iframe.webview.ready:visible')
    .last()
    .frameLocator('iframe#active-frame');
}
