// `node check.mjs guide --dir OUT [--private] [--shots DIR]`: the bundled guide read at a
// door, on a phone (issue 15). Driven by tests/browser.rs. Checks, on the build in OUT:
//   - the home page's "Locked out? Start here" link is on the first 375 px screen, and one
//     tap on it opens the decision tree, which is the first guide page;
//   - no page of the sitemap scrolls sideways at 375 px
//     (document.scrollingElement.scrollWidth <= innerWidth);
//   - each checklist prints on one page, on A4 and on US Letter (page.pdf, pages counted;
//     the public build);
//   - on entry pages at 375 px the stale notice and the warnings start on the first screen
//     and end above the facts table (bounding boxes);
//   - every code block is keyboard-focusable (tabindex 0);
//   - axe-core (from node_modules, injected with addScriptTag): no serious or critical
//     finding on the home page, two guide pages and two entries at 375 and 1280 px, light
//     and dark; every finding of any impact is printed as a `axe …` line;
//   - with --private (a private build): the entry with a private block links it near the
//     top (#private-1), and an entry without one has no such link; without --private no
//     page has the link.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { VIEWPORTS, fail, launch, serve } from './lib.mjs';

const PHONE = VIEWPORTS[0];
const DECISION_TREE = '/guide/locked-out/';
const CHECKLISTS = ['/guide/checklist-reset/', '/guide/checklist-staff-leaves/'];
// Entries whose warnings (and, when the test made it stale, stale notice) come first.
const ENTRIES = ['/locks/tarnwell/td-300/', '/locks/tarnwell/td-210/', '/locks/kestrelby/kb-2/'];
const AXE_PAGES = ['/', DECISION_TREE, '/guide/building-your-handbook/', '/locks/tarnwell/td-300/', '/locks/tarnwell/kp-45-annex-exit/'];
const PRIVATE_BLOCK_ENTRY = '/locks/kestrelby/ks-8/';
const NO_BLOCK_ENTRY = '/locks/tarnwell/td-210/';

export async function checkGuide(opts) {
  if (!opts.dir) throw new Error('guide: --dir is required');
  const dir = path.resolve(opts.dir);
  const shots = opts.shots ? path.resolve(opts.shots) : null;
  if (shots) fs.mkdirSync(shots, { recursive: true });
  const { server, origin } = await serve(dir);
  const browser = await launch();
  const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await phone.newPage();
  const at = async (p) => { await page.goto(origin + p, { waitUntil: 'load' }); };
  try {
    await oneTapToTheDecisionTree(page, origin, shots);
    const paths = sitemapPaths(dir);
    for (const p of paths) { await at(p); await noSidewaysScroll(page, p); }
    // The public guide's checklists (a private build prints its banner on them too).
    if (!opts.private) for (const p of CHECKLISTS) { await at(p); await printsOnOnePage(page, p); }
    for (const p of ENTRIES) { await at(p); await safetyFirst(page, p, shots); }
    await at('/guide/building-your-handbook/');
    await codeBlocksFocusable(page, '/guide/building-your-handbook/');
    const axe = await axeFindings(browser, origin);
    if (opts.private) await privateJump(page, origin, shots);
    else {
      await at(PRIVATE_BLOCK_ENTRY);
      if (await page.locator('.private-jump').count()) fail(PRIVATE_BLOCK_ENTRY, 'a public page links private details');
    }
    console.log(`guide: ${paths.length} sitemap pages at ${PHONE.width} px, ${opts.private ? 0 : CHECKLISTS.length} checklists printed, ${ENTRIES.length} entries, axe on ${AXE_PAGES.length} pages x 2 widths x 2 schemes: ${axe.serious} serious or critical, ${axe.other} other findings`);
  } finally {
    await phone.close();
    await browser.close();
    server.close();
  }
}

// The home page's link to the decision tree: on the first phone screen, one tap away, and
// the decision tree is the first guide page in the home page's list.
async function oneTapToTheDecisionTree(page, origin, shots) {
  const where = `home @${PHONE.width} tap`;
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  const link = page.locator('main').getByRole('link', { name: /Start here/ }).first();
  if (!(await link.count())) { fail(where, 'no "Start here" link in <main>'); return; }
  const box = await link.boundingBox();
  if (!box || box.y + box.height > PHONE.height) fail(where, `the "Start here" link is not on the first screen (${box ? Math.round(box.y) : '?'} px down)`);
  const firstGuide = await page.evaluate(() => document.querySelector('.guide-list a')?.getAttribute('href'));
  if (firstGuide !== DECISION_TREE) fail(where, `the first guide page listed is ${firstGuide}, not ${DECISION_TREE}`);
  await Promise.all([page.waitForURL((u) => new URL(u).pathname === DECISION_TREE, { timeout: 10_000 }), link.tap()]);
  const h1 = await page.evaluate(() => document.querySelector('h1')?.textContent.trim());
  if (h1 !== 'Locked out? Start here') fail(where, `the tap opened a page titled ${JSON.stringify(h1)}`);
  if (shots) await page.screenshot({ path: path.join(shots, `locked-out-${PHONE.width}.png`), fullPage: true });
}

// Every page of the sitemap, as a path on the local server.
function sitemapPaths(dir) {
  const xml = fs.readFileSync(path.join(dir, 'sitemap.xml'), 'utf8');
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  if (paths.length < 10) fail('sitemap', `only ${paths.length} URLs in sitemap.xml`);
  return paths;
}

async function noSidewaysScroll(page, p) {
  const w = await page.evaluate(() => ({ scroll: document.scrollingElement.scrollWidth, inner: innerWidth }));
  // A phone (isMobile) widens innerWidth to fit what overflows, so compare with the 375 px too.
  if (w.scroll > Math.min(w.inner, PHONE.width)) fail(`${p} @${PHONE.width}`, `scrolls sideways: scrollWidth ${w.scroll} > innerWidth ${w.inner} (viewport ${PHONE.width})`);
}

// Printed (A4 and US Letter, the print stylesheet), the page is one sheet.
async function printsOnOnePage(page, p) {
  await page.emulateMedia({ media: 'print' });
  for (const format of ['A4', 'Letter']) {
    const pdf = (await page.pdf({ format })).toString('latin1');
    const pages = (pdf.match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
    if (pages !== 1) fail(`${p} print ${format}`, `prints on ${pages} pages, expected 1`);
  }
  await page.emulateMedia({ media: 'screen' });
}

// At a door: the stale notice (if any) and the warnings start on the first phone screen
// and end above the facts table.
async function safetyFirst(page, p, shots) {
  const where = `${p} @${PHONE.width}`;
  const b = await page.evaluate(() => {
    const box = (sel) => { const e = document.querySelector(sel); if (!e) return null; const r = e.getBoundingClientRect(); return { top: r.top + scrollY, bottom: r.bottom + scrollY }; };
    return { stale: box('.stale-notice'), warnings: box('.warnings'), facts: box('table.facts') };
  });
  if (!b.facts) { fail(where, 'no facts table'); return; }
  if (!b.warnings) fail(where, 'no warnings box');
  for (const [name, r] of [['stale notice', b.stale], ['warnings', b.warnings]]) {
    if (!r) continue;
    if (r.top >= PHONE.height) fail(where, `the ${name} starts ${Math.round(r.top)} px down, below the first screen`);
    if (r.bottom > b.facts.top + 0.5) fail(where, `the ${name} ends at ${Math.round(r.bottom)} px, below the top of the facts table (${Math.round(b.facts.top)} px)`);
  }
  if (p === ENTRIES[0] && !b.stale) fail(where, 'no stale notice (the test makes this entry stale)');
  if (shots && p === ENTRIES[0]) await page.screenshot({ path: path.join(shots, `entry-first-screen-${PHONE.width}.png`) });
}

async function codeBlocksFocusable(page, p) {
  const pre = await page.evaluate(() => [...document.querySelectorAll('main pre')].map((e) => ({ tab: e.tabIndex, scrolls: e.scrollWidth > e.clientWidth })));
  if (!pre.length) fail(p, 'no code block to check');
  if (pre.some((x) => x.tab !== 0)) fail(p, `code blocks without tabindex 0: ${pre.filter((x) => x.tab !== 0).length} of ${pre.length}`);
  if (!pre.some((x) => x.scrolls)) fail(p, `no code block scrolls sideways at ${PHONE.width} px, so the focus check proves nothing`);
}

// axe-core on each page at both widths and in both colour schemes. Serious and critical
// findings fail; every finding is printed.
async function axeFindings(browser, origin) {
  const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  const count = { serious: 0, other: 0 };
  for (const vp of VIEWPORTS) {
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ viewport: vp, colorScheme: scheme });
      const page = await context.newPage();
      for (const p of AXE_PAGES) {
        await page.goto(origin + p, { waitUntil: 'load' });
        await page.addScriptTag({ path: axe });
        const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
          .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, first: v.nodes[0]?.target.join(' ') })));
        for (const v of found) {
          const line = `${p} @${vp.width}${scheme === 'dark' ? ' dark' : ''}: ${v.impact} ${v.id} (${v.nodes} nodes, first ${v.first}): ${v.help}`;
          if (v.impact === 'serious' || v.impact === 'critical') { count.serious++; fail('axe', line); }
          else { count.other++; console.log(`axe ${line}`); }
        }
      }
      await context.close();
    }
  }
  return count;
}

// A private build: the entry with a private block links it on the first screen, and the
// link lands on it; an entry without a block has no link.
async function privateJump(page, origin, shots) {
  const where = `${PRIVATE_BLOCK_ENTRY} private @${PHONE.width}`;
  await page.goto(origin + PRIVATE_BLOCK_ENTRY, { waitUntil: 'load' });
  const link = page.locator('main a[href="#private-1"]');
  if (!(await link.count())) { fail(where, 'no link to #private-1'); return; }
  const box = await link.first().boundingBox();
  if (!box || box.y + box.height > PHONE.height) fail(where, 'the private details link is not on the first screen');
  if (box && box.height < 44) fail(where, `the private details link is ${Math.round(box.height)} px tall, under 44`);
  await link.first().tap();
  await page.waitForFunction(() => location.hash === '#private-1', null, { timeout: 5_000 }).catch(() => {});
  const target = await page.evaluate(() => {
    const e = document.getElementById('private-1');
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return { cls: e.className, top: r.top };
  });
  if (!target) fail(where, 'no element #private-1');
  else {
    if (target.cls !== 'private-block') fail(where, `#private-1 is .${target.cls}, not the private block`);
    if (target.top < -1 || target.top > PHONE.height / 2) fail(where, `after the tap the private block is at ${Math.round(target.top)} px, not at the top of the screen`);
  }
  if (shots) await page.screenshot({ path: path.join(shots, `private-jump-${PHONE.width}.png`) });
  await page.goto(origin + NO_BLOCK_ENTRY, { waitUntil: 'load' });
  if (await page.locator('.private-jump').count()) fail(`${NO_BLOCK_ENTRY} private`, 'a private details link on an entry without a private block');
}
