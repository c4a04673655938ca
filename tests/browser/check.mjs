// Headless-Chromium checks of a site built by lockgen. Driven by tests/browser.rs;
// can also be run by hand (see `usage` below). Exit status: 0 all checks passed,
// 1 a check failed (each failure is printed as a line starting "FAIL "), 2 bad usage
// or the browser could not start.
//
//   node check.mjs site --dir OUT [--shots DIR] [--lang en] [--pages name,name] [--private]
//     Serves OUT on 127.0.0.1 (a missing path gets OUT/404.html with status 404) and
//     checks the pages below at 375x800 and 1280x900, light and dark. Saves full-page
//     screenshots to DIR/<page>-<width>[-dark|-print].png.
//   node check.mjs drill --dir OUT --start PATH --via "LINK,LINK,…" [--h1 TITLE] [--shots DIR]
//     Serves OUT, opens PATH at 375x800 and clicks, in <main>, the link named by each
//     LINK in turn (as a person at a door taps down the location tree); the last page
//     must be a lock entry (a facts table) whose h1 is TITLE (default: the last LINK;
//     a room with one lock links straight to it).
//   node check.mjs search --dir OUT [--private] [--file-url]
//     The header's search box on the site in OUT (served on 127.0.0.1, or with --file-url
//     opened from file://, which needs a build with relative_urls = true): `/` focuses
//     it, a model number finds its entry first, a typo and a prefix find theirs, a filter
//     narrows, arrows and Enter open a result whose page marks the words, and the
//     sensitive markers are found only in a --private build.
//   node check.mjs search-bench --dir OUT --queries a,b,c [--runs N]
//     For each query, on a fresh page: bytes and requests the search loaded, and the
//     time from the keystroke to the results shown (median of N runs).
//   node check.mjs crypt --dir OUT --pass PASSPHRASE [--file-url] [--bench]
//     The encrypted build in OUT (`build --private --encrypt` of the guide with the
//     audiences basement and first-floor): a wrong passphrase is refused; basement's
//     opens the home page, whose contents list Server Room B2 and not the finance safe;
//     a link opens a page without asking again; a bundle's photo shows (blob: URL);
//     search finds B2 (Server Room B2) and not "strongroom"; a reload stays unlocked; Lock asks again;
//     changed files are refused with a message. Prints the unlock and page-open times.
//   node check.mjs live --url PAGE_URL --file MD --old TEXT --new TEXT [--shots DIR]
//     Opens PAGE_URL (served by `lockgen serve`), replaces TEXT by NEW in the Markdown
//     file MD, and waits up to 10 s for the page to show NEW without reloading it itself.
//   node check.mjs guide --dir OUT [--private] [--shots DIR]
//     The bundled guide at a door, on a phone: the decision tree one tap from home, no
//     sideways scrolling, one-page checklists, warnings before the facts, focusable code,
//     axe-core (see guide.mjs).

import fs from 'node:fs';
import path from 'node:path';
import { VIEWPORTS, failures, fail, launch, serve } from './lib.mjs';
import { checkGuide } from './guide.mjs';

// name, path, and what else to check there. `status` is the expected HTTP status.
const PAGES = [
  { name: 'home', path: '/' },
  { name: 'guide', path: '/guide/doing-a-reset-safely/' },
  { name: 'entry', path: '/locks/tarnwell/td-210/', print: true, steps: true },
  { name: 'bundle', path: '/locks/tarnwell/kp-45/', print: true, images: 1, steps: true },
  { name: 'stale', path: '/locks/tarnwell/td-300/', stale: true, steps: true },
  { name: 'brand', path: '/brands/tarnwell-security/' },
  { name: 'brands', path: '/brands/' },
  { name: 'contents', path: '/contents/' },
  { name: 'locations', path: '/locations/' },
  { name: 'location', path: '/locations/main-building/first-floor/' },
  { name: 'types', path: '/types/' },
  { name: 'type', path: '/types/electronic-deadbolt/' },
  { name: '404', path: '/no-such-page/', status: 404 },
];
const PRIVATE_PAGES = [
  { name: 'private-home', path: '/', private: true },
  { name: 'private-sensitive', path: '/locks/tarnwell/server-room-b2-master/', private: true, sensitive: true, print: true },
  { name: 'private-block', path: '/locks/kestrelby/ks-8/', private: true },
  { name: 'private-status', path: '/status/', private: true },
];

const usage = `usage: node check.mjs site --dir OUT [--shots DIR] [--lang LANG] [--pages a,b] [--private]
       node check.mjs drill --dir OUT --start PATH --via "LINK,LINK,…" [--h1 TITLE] [--shots DIR]
       node check.mjs search --dir OUT [--private] [--file-url]
       node check.mjs search-bench --dir OUT --queries a,b,c [--runs N]
       node check.mjs crypt --dir OUT --pass PASSPHRASE [--file-url]
       node check.mjs live --url PAGE_URL --file MD --old TEXT --new TEXT [--shots DIR]
       node check.mjs guide --dir OUT [--private] [--shots DIR]`;

function parseArgs(argv) {
  const [mode, ...rest] = argv;
  const opts = { mode };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (key === 'private' || key === 'file-url' || key === 'bench') { opts[key] = true; continue; }
    if (i + 1 >= rest.length) throw new Error(`${a} needs a value`);
    opts[key] = rest[++i];
  }
  return opts;
}

// ---- in-page probes --------------------------------------------------------

// Runs in the page: text that fails WCAG AA contrast (4.5:1, 3:1 for large text).
function contrastProblems() {
  const parse = (c) => {
    const m = c.match(/^rgba?\(([^)]+)\)$/);
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (fg, bg) => ({
    r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a),
    b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1,
  });
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; }
    }
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    let c = dark ? { r: 0, g: 0, b: 0, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
    for (const l of layers.reverse()) c = over(l, c);
    return c;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.right < 0 || r.bottom < 0) continue; // off-screen (the skip link until focused)
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const fg = parse(s.color);
    if (!fg) continue;
    const bg = background(el);
    const shown = over({ ...fg, a: fg.a * opacity }, bg);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    const got = ratio(shown, bg);
    if (got < need) {
      const text = el.textContent.trim().replace(/\s+/g, ' ').slice(0, 40);
      out.push(`<${el.localName}${el.className ? '.' + String(el.className).split(' ').join('.') : ''}> "${text}" ${got.toFixed(2)}:1 (needs ${need}:1)`);
    }
  }
  return [...new Set(out)];
}

// Runs in the page: links and buttons outside running text smaller than 44x44 CSS px.
function smallTargets() {
  const out = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, summary')) {
    if (!el.getClientRects().length) continue;
    if (el.closest('.prose p, .prose li, .prose td, .prose blockquote, .skip-link')) continue; // inline in text
    if (el.classList.contains('skip-link')) continue;
    const r = el.getBoundingClientRect();
    if (r.height < 43.5 || r.width < 43.5) { // 0.5 px for rounding
      out.push(`<${el.localName}> "${el.textContent.trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return out;
}

// ---- the site check --------------------------------------------------------

async function checkSite(opts) {
  if (!opts.dir) throw new Error('site: --dir is required');
  const shots = opts.shots ? path.resolve(opts.shots) : null;
  if (shots) fs.mkdirSync(shots, { recursive: true });
  let pages = opts.private ? PRIVATE_PAGES : PAGES;
  if (opts.pages) {
    const want = opts.pages.split(',');
    pages = [...PAGES, ...PRIVATE_PAGES].filter((p) => want.includes(p.name));
    if (pages.length !== want.length) throw new Error(`unknown page in --pages ${opts.pages}`);
  }
  const { server, origin } = await serve(opts.dir);
  const browser = await launch();
  const internalLinks = new Map(); // url path (with fragment) -> first page that links it
  let loads = 0;
  // One page for every load (a new context per load costs more than the checks);
  // `problems` and `expect` are reset before each navigation.
  const context = await browser.newContext({ viewport: VIEWPORTS[0] });
  const page = await context.newPage();
  let problems = [];
  let expect = 200;
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}${m.location()?.url ? ` (${m.location().url})` : ''}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin + '/') && !u.startsWith('data:')) problems.push(`request leaves the site: ${u}`);
  });
  page.on('response', (r) => {
    const isDoc = r.request().isNavigationRequest() && r.request().frame() === page.mainFrame();
    const want = isDoc ? expect : 200;
    if (r.status() !== want && r.status() !== 304) problems.push(`HTTP ${r.status()} (expected ${want}) for ${r.url()}`);
  });
  try {
    for (const pg of pages) {
      for (const vp of VIEWPORTS) {
        for (const scheme of ['light', 'dark']) {
          const where = `${pg.name} ${pg.path} @${vp.width}${scheme === 'dark' ? ' dark' : ''}`;
          await page.setViewportSize(vp);
          await page.emulateMedia({ media: 'screen', colorScheme: scheme });
          problems = [];
          expect = pg.status || 200;
          await page.goto('about:blank');
          const resp = await page.goto(origin + pg.path, { waitUntil: 'load' });
          loads++;
          if (!resp) { fail(where, 'no response'); continue; }
          // The 404 document's own "Failed to load resource" console line is expected.
          const facts = await page.evaluate(() => ({
            lang: document.documentElement.getAttribute('lang'),
            h1: document.querySelectorAll('h1').length,
            main: document.querySelectorAll('main, [role=main]').length,
            header: document.querySelectorAll('body > header, [role=banner]').length,
            footer: document.querySelectorAll('body > footer, [role=contentinfo]').length,
            nav: document.querySelectorAll('nav').length,
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            wide: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && getComputedStyle(e).position !== 'absolute').slice(0, 3).map((e) => `<${e.localName} class="${e.className}">`),
            links: [...document.querySelectorAll('a[href^="/"]')].map((a) => a.getAttribute('href')),
            anchors: [...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href').slice(1)).filter((id) => id && !document.getElementById(decodeURIComponent(id))),
            images: [...document.images].map((i) => ({ src: i.getAttribute('src'), alt: i.getAttribute('alt'), ok: i.complete && i.naturalWidth > 0 })),
            stale: document.querySelectorAll('.badge-stale').length,
            sensitiveBadge: document.querySelectorAll('.badge-sensitive').length,
            privateBanner: !!document.querySelector('.private-banner'),
            title: document.title,
            // Procedure steps: numbered (generated or list marker) and at least 17 px.
            steps: [...document.querySelectorAll('.procedure > ol > li')].map((li) => ({
              numbered: getComputedStyle(li, '::before').content !== 'none' || getComputedStyle(li).listStyleType !== 'none',
              size: parseFloat(getComputedStyle(li).fontSize),
            })),
            warningsFirst: (() => {
              const w = document.querySelector('.warnings');
              const ol = document.querySelector('.procedure ol');
              return !w || !ol || !!(w.compareDocumentPosition(ol) & Node.DOCUMENT_POSITION_FOLLOWING);
            })(),
          }));
          for (const p of problems) {
            if (pg.status === 404 && /Failed to load resource: the server responded with a status of 404/.test(p)) continue;
            fail(where, p);
          }
          if (!facts.lang || (opts.lang && facts.lang !== opts.lang)) fail(where, `html[lang] is ${JSON.stringify(facts.lang)}, expected ${JSON.stringify(opts.lang || 'a language')}`);
          if (facts.h1 !== 1) fail(where, `${facts.h1} h1 elements, expected exactly 1`);
          if (facts.main !== 1) fail(where, `${facts.main} main landmarks, expected 1`);
          if (facts.header < 1 || facts.footer < 1 || facts.nav < 1) fail(where, `landmarks missing: header ${facts.header}, nav ${facts.nav}, footer ${facts.footer}`);
          if (!facts.title.trim()) fail(where, 'empty <title>');
          if (facts.scrollWidth > facts.innerWidth) fail(where, `horizontal overflow: scrollWidth ${facts.scrollWidth} > innerWidth ${facts.innerWidth}; widest: ${facts.wide.join(' ')}`);
          for (const id of facts.anchors) fail(where, `in-page link #${id} has no target`);
          for (const img of facts.images) {
            if (!img.alt || !img.alt.trim()) fail(where, `image ${img.src} has no alt text`);
            if (!img.ok) fail(where, `image ${img.src} did not load`);
          }
          if (pg.images && facts.images.length < pg.images) fail(where, `${facts.images.length} images, expected ${pg.images}`);
          if (pg.steps) {
            if (!facts.steps.length) fail(where, 'no numbered procedure steps (.procedure > ol > li)');
            if (facts.steps.some((x) => !x.numbered)) fail(where, 'procedure steps without numbers');
            const small = facts.steps.filter((x) => x.size < 17);
            if (small.length) fail(where, `${small.length} procedure steps under 17 px (${small[0].size} px)`);
            if (!facts.warningsFirst) fail(where, 'warnings come after the procedure');
          }
          if (pg.stale && !facts.stale) fail(where, 'stale entry without a "Needs re-verification" badge');
          if (pg.private && !facts.privateBanner) fail(where, 'private build page without the private banner');
          if (!pg.private && facts.privateBanner) fail(where, 'public page shows the private banner');
          if (pg.sensitive && !facts.sensitiveBadge) fail(where, 'sensitive page without a Sensitive badge');
          for (const href of facts.links) if (!internalLinks.has(href)) internalLinks.set(href, where);
          for (const c of await page.evaluate(contrastProblems)) fail(where, `low contrast: ${c}`);
          if (vp.width === 375) for (const t of await page.evaluate(smallTargets)) fail(where, `tap target under 44x44 px: ${t}`);

          if (shots) await page.screenshot({ path: path.join(shots, `${pg.name}-${vp.width}${scheme === 'dark' ? '-dark' : ''}.png`), fullPage: true });
          if (pg.print && scheme === 'light') await checkPrint(page, where, shots && path.join(shots, `${pg.name}-${vp.width}-print.png`));
          if (scheme === 'light') await checkKeyboard(page, where);
        }
      }
    }
    // Every internal link on these pages resolves to a built file, and its #fragment exists.
    const fetched = new Map();
    for (const [href, where] of internalLinks) {
      const [p, frag] = href.split('#');
      if (!fetched.has(p)) {
        const r = await fetch(origin + p, { redirect: 'manual' });
        fetched.set(p, { status: r.status, body: r.status === 200 ? await r.text() : '' });
      }
      const { status, body } = fetched.get(p);
      if (status !== 200) { fail(where, `internal link ${href} is HTTP ${status}, not a built file`); continue; }
      if (frag) {
        const id = decodeURIComponent(frag).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        if (!new RegExp(`\\sid=(["']?)${id}\\1[\\s>/]`).test(body)) fail(where, `internal link ${href}: no element with id "${frag}" on ${p}`);
      }
    }
    console.log(`checked ${pages.length} pages x ${VIEWPORTS.length} widths x 2 colour schemes (${loads} loads), ${internalLinks.size} internal links`);
  } finally {
    await context.close();
    await browser.close();
    server.close();
  }
}

// ---- the drill-down check ---------------------------------------------------

async function checkDrill(opts) {
  if (!opts.dir || !opts.start || !opts.via) throw new Error('drill: --dir, --start and --via are required');
  const via = opts.via.split(',').map((s) => s.trim()).filter(Boolean);
  const shots = opts.shots ? path.resolve(opts.shots) : null;
  if (shots) fs.mkdirSync(shots, { recursive: true });
  const { server, origin } = await serve(opts.dir);
  const browser = await launch();
  const context = await browser.newContext({ viewport: VIEWPORTS[0], isMobile: true, hasTouch: true });
  const page = await context.newPage();
  try {
    await page.goto(origin + opts.start, { waitUntil: 'load' });
    const trail = [new URL(page.url()).pathname];
    for (const [i, name] of via.entries()) {
      const where = `drill step ${i + 1} (${name}) from ${trail[trail.length - 1]}`;
      const link = page.locator('main').getByRole('link', { name }).first();
      if (!(await link.count())) { fail(where, `no link named ${JSON.stringify(name)} in <main>`); break; }
      const box = await link.boundingBox();
      if (!box || box.height < 44) fail(where, `link ${JSON.stringify(name)} is ${box ? box.height : 0} px tall, under 44`);
      if (box && box.x + box.width > VIEWPORTS[0].width + 0.5) fail(where, 'link runs off the 375 px screen');
      const before = page.url();
      await Promise.all([page.waitForURL((u) => u.toString() !== before, { timeout: 10_000 }), link.tap()]);
      await page.waitForLoadState('load');
      trail.push(new URL(page.url()).pathname);
      if (shots) await page.screenshot({ path: path.join(shots, `drill-${i + 1}-375.png`), fullPage: true });
    }
    const end = await page.evaluate(() => ({
      facts: !!document.querySelector('table.facts'),
      h1: document.querySelector('h1')?.textContent.trim(),
      overflow: document.documentElement.scrollWidth > window.innerWidth,
      locationLinks: [...document.querySelectorAll('table.facts .location a')].map((a) => a.getAttribute('href')),
    }));
    const last = opts.h1 || via[via.length - 1];
    if (!end.facts) fail('drill end', `${page.url()} is not a lock entry (no facts table)`);
    if (end.h1 !== last) fail('drill end', `h1 is ${JSON.stringify(end.h1)}, expected ${JSON.stringify(last)}`);
    if (end.overflow) fail('drill end', 'horizontal overflow at 375 px');
    // The entry's location links lead back up the same path the drill came down.
    const wanted = trail.slice(1, -1);
    if (JSON.stringify(end.locationLinks) !== JSON.stringify(wanted)) fail('drill end', `location links ${JSON.stringify(end.locationLinks)}, expected ${JSON.stringify(wanted)}`);
    console.log(`drilled ${trail.join(' -> ')}`);
  } finally {
    await context.close();
    await browser.close();
    server.close();
  }
}

// Skip link: the first thing Tab reaches, visible when focused, and it moves focus to main.
async function checkKeyboard(page, where) {
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    const s = getComputedStyle(a);
    return {
      tag: a.localName, cls: a.className, href: a.getAttribute('href'), text: a.textContent.trim(),
      visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth,
      outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    };
  });
  if (first.tag !== 'a' || !/^#./.test(first.href || '') || !/skip/i.test(first.text)) {
    fail(where, `first focusable element is <${first.tag} class="${first.cls}" href="${first.href}"> "${first.text}", not the skip link`);
    return;
  }
  if (!first.visible) fail(where, 'skip link is not visible when focused');
  if (!first.outline) fail(where, 'skip link has no visible focus outline');
  await page.keyboard.press('Enter');
  const target = first.href.slice(1);
  const focused = await page.evaluate(() => document.activeElement.id);
  if (focused !== target) fail(where, `skip link did not move focus to #${target} (focus is on #${focused})`);
  // The next Tab lands inside main and shows a focus outline.
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => {
    const a = document.activeElement;
    const s = getComputedStyle(a);
    return { inMain: !!a.closest('main'), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, text: a.textContent.trim().slice(0, 30) };
  });
  if (!next.inMain) fail(where, `Tab after the skip link left main ("${next.text}")`);
  if (!next.outline) fail(where, `focused link "${next.text}" has no visible focus outline`);
}

// Print: no navigation, the entry starts a page, warnings keep their emphasis, links show URLs.
async function checkPrint(page, where, shot) {
  where = `${where} print`;
  await page.emulateMedia({ media: 'print' });
  const p = await page.evaluate(() => {
    const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const disp = (sel) => [...document.querySelectorAll(sel)].map((e) => getComputedStyle(e).display);
    const warn = document.querySelector('.warnings');
    const link = document.querySelector('main .prose a[href^="/"], main .prose a[href^="http"]');
    const article = document.querySelector('main article');
    // What starts the printed entry: the article, or the private banner printed just before it.
    const banner = [...document.querySelectorAll('.private-banner')].find(shown);
    const start = banner || article;
    const printedBefore = article ? [...document.body.querySelectorAll('*')].filter((e) =>
      (e.compareDocumentPosition(article) & Node.DOCUMENT_POSITION_FOLLOWING) && !e.contains(article)
      && !(banner && banner.contains(e)) && shown(e) && e.textContent.trim()).map((e) => `<${e.localName} class="${e.className}">`) : [];
    return {
      header: disp('body > header'), sidebar: disp('.sidebar'), topNav: disp('.top-nav'),
      navShown: [...document.querySelectorAll('nav')].filter(shown).map((n) => n.getAttribute('aria-label') || n.className),
      skipShown: [...document.querySelectorAll('.skip-link')].some(shown),
      warn: warn && { shown: shown(warn), border: parseFloat(getComputedStyle(warn).borderTopWidth) + parseFloat(getComputedStyle(warn).borderLeftWidth), weight: Number(getComputedStyle(warn.querySelector('li')).fontWeight) },
      linkAfter: link && getComputedStyle(link, '::after').content,
      linkHref: link && link.getAttribute('href'),
      breakBefore: start && getComputedStyle(start).breakBefore,
      startName: start && (start === banner ? 'private banner' : 'entry article'),
      printedBefore,
    };
  });
  for (const [name, d] of [['header', p.header], ['.sidebar', p.sidebar], ['.top-nav', p.topNav]]) {
    if (!d.length) fail(where, `no ${name} on the page`);
    else if (d.some((x) => x !== 'none')) fail(where, `${name} is display: ${d.join(', ')}, expected none`);
  }
  if (p.navShown.length) fail(where, `navigation still printed: ${p.navShown.join(', ')}`);
  if (p.skipShown) fail(where, 'skip link printed');
  if (!p.warn) fail(where, 'entry has no .warnings callout');
  else {
    if (!p.warn.shown) fail(where, 'warnings hidden in print');
    if (p.warn.border < 2) fail(where, 'warnings lost their border in print');
    if (p.warn.weight < 600) fail(where, 'warnings lost their bold text in print');
  }
  if (p.linkHref && !(p.linkAfter || '').includes(p.linkHref)) fail(where, `link ${p.linkHref} does not show its URL in print (::after is ${p.linkAfter})`);
  if (p.breakBefore !== 'page') fail(where, `${p.startName} has break-before: ${p.breakBefore}, expected page`);
  if (p.printedBefore.length) fail(where, `printed before the entry (a page of its own): ${p.printedBefore.slice(0, 3).join(' ')}`);
  if (shot) await page.screenshot({ path: shot, fullPage: true });
  await page.emulateMedia({ media: 'screen' });
}

// ---- the search box ------------------------------------------------------------

// Types `q` into the box and waits for its results: [{title, meta, snippet, href, marks}].
async function query(page, q) {
  await page.fill('#search-q', q);
  await page.waitForFunction((q) => document.querySelector('form.search')?.getAttribute('data-results-for') === q, q, { timeout: 10_000 });
  return page.evaluate(() => [...document.querySelectorAll('.search-results li')].map((li) => ({
    title: li.querySelector('.search-title').textContent,
    meta: li.querySelector('.search-meta')?.textContent || '',
    snippet: li.querySelector('.search-snippet')?.textContent || '',
    href: li.querySelector('a').href,
    marks: li.querySelectorAll('mark').length,
  })));
}

async function checkSearch(opts) {
  if (!opts.dir) throw new Error('search: --dir is required');
  const dir = path.resolve(opts.dir);
  let server = null;
  let home;
  if (opts['file-url']) home = `file://${dir}/index.html`;
  else { const s = await serve(dir); server = s.server; home = `${s.origin}/`; }
  const where = `search ${opts['file-url'] ? 'file://' : 'http'}${opts.private ? ' private' : ''}`;
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: VIEWPORTS[0] });
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    await page.goto(home, { waitUntil: 'load' });
    const box = await page.evaluate(() => ({
      form: !!document.querySelector('form.search') && !document.querySelector('form.search').hidden,
      fallback: [...document.querySelectorAll('.search-fallback')].some((a) => a.getClientRects().length > 0),
    }));
    if (!box.form) fail(where, 'the search box is not shown');
    if (box.fallback) fail(where, 'the no-JavaScript link is still shown beside the box');
    await page.keyboard.press('/');
    if (await page.evaluate(() => document.activeElement?.id) !== 'search-q') fail(where, '"/" did not focus the search box');

    const expectFirst = async (q, title, why) => {
      const rows = await query(page, q);
      if (!rows.length) { fail(where, `${why}: "${q}" found nothing`); return rows; }
      if (!rows[0].title.includes(title)) fail(where, `${why}: "${q}" found "${rows[0].title}" first, not "${title}" (${rows.map((r) => r.title).join(' | ')})`);
      return rows;
    };
    const model = await expectFirst('TD-300', 'Tarnwell TD-300', 'model number');
    if (model[0] && !model[0].marks) fail(where, 'the first result marks no matched word');
    await expectFirst('td300', 'Tarnwell TD-300', 'model number typed without its dash');
    await expectFirst('weatherprof', 'Kestrelby KS-12', 'one typo');
    await expectFirst('marrowg', 'Marrowgate', 'prefix');
    await expectFirst('késtrelby ks-8', 'Kestrelby KS-8', 'diacritics');
    // A filter narrows: every row then has the chosen brand.
    const all = await query(page, 'reset');
    await page.selectOption('select[data-filter="0"]', 'Kestrelby Keyless');
    const narrowed = await query(page, 'reset '); // a new query, so the filtered results are waited for
    if (!(narrowed.length > 0 && narrowed.length < all.length)) fail(where, `the brand filter did not narrow "reset": ${all.length} rows, then ${narrowed.length}`);
    if (narrowed.some((r) => !r.meta.includes('Kestrelby'))) fail(where, `the brand filter let through ${narrowed.map((r) => r.meta).join(' | ')}`);
    await page.selectOption('select[data-filter="0"]', '');
    // Sensitive material: a word only a sensitive entry has, and one only a private block has.
    for (const [q, title] of [['B2', 'Server Room B2'], ['strongbox', 'Kestrelby KS-8']]) {
      const rows = await query(page, q);
      const found = rows.some((r) => r.title.includes(title));
      if (opts.private && !found) fail(where, `the private build's search does not find "${q}" in "${title}"`);
      if (!opts.private && rows.length) fail(where, `the public search finds "${q}": ${rows.map((r) => r.title).join(' | ')}`);
      if (!opts.private && await page.evaluate(() => document.querySelector('.search-status').textContent) !== 'No pages found.') fail(where, 'no "No pages found." for a withheld word');
    }
    // Arrows and Enter open a result; its page marks the words searched for.
    await query(page, 'KS-12');
    await page.keyboard.press('ArrowDown');
    const selected = await page.evaluate(() => document.querySelector('.search-results [aria-selected="true"] .search-title')?.textContent);
    if (!selected || !selected.includes('KS-12')) fail(where, `ArrowDown selected ${JSON.stringify(selected)}`);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    const opened = await page.evaluate(() => ({ url: location.href, marks: [...document.querySelectorAll('main mark.search-hit')].map((m) => m.textContent) }));
    if (!/\/locks\/kestrelby\/ks-12\/(index\.html)?\?q=KS-12$/.test(opened.url)) fail(where, `Enter opened ${opened.url}`);
    if (!opened.marks.length || !opened.marks.every((m) => /^(ks|12)/i.test(m))) fail(where, `the opened page marks ${JSON.stringify(opened.marks)}`);
    for (const p of problems) fail(where, p);
    console.log(`${where}: checked`);
  } finally {
    await browser.close();
    if (server) server.close();
  }
}

// Cold-cache cost of each query: a fresh context loads the home page, then the query is typed.
async function benchSearch(opts) {
  if (!opts.dir || !opts.queries) throw new Error('search-bench: --dir and --queries are required');
  const runs = Number(opts.runs || 5);
  const { server, origin } = await serve(path.resolve(opts.dir));
  const browser = await launch();
  try {
    for (const q of opts.queries.split(',')) {
      const times = [];
      let bytes = 0, requests = 0, script = 0, rows = 0;
      for (let run = 0; run < runs; run++) {
        const context = await browser.newContext({ viewport: VIEWPORTS[0] });
        const page = await context.newPage();
        const sizes = [];
        page.on('response', async (r) => {
          const u = new URL(r.url());
          if (u.pathname.startsWith('/search/')) sizes.push(r.body().then((b) => b.length, () => 0));
          if (u.pathname === '/search.js') script = (await r.body()).length;
        });
        await page.goto(`${origin}/`, { waitUntil: 'load' });
        // From the keystroke to the results on screen, measured in the page.
        const ms = await page.evaluate((q) => new Promise((done) => {
          const form = document.querySelector('form.search');
          const input = document.querySelector('#search-q');
          const t0 = performance.now();
          const seen = new MutationObserver(() => {
            if (form.getAttribute('data-results-for') === q) { seen.disconnect(); done(performance.now() - t0); }
          });
          seen.observe(form, { attributes: true });
          input.focus();
          input.value = q;
          input.dispatchEvent(new Event('input'));
        }), q);
        rows = await page.evaluate(() => document.querySelectorAll('.search-results li').length);
        const got = await Promise.all(sizes);
        times.push(ms);
        bytes = got.reduce((a, b) => a + b, 0);
        requests = got.length;
        await context.close();
      }
      times.sort((a, b) => a - b);
      console.log(`query ${JSON.stringify(q)}: ${rows} rows shown; ${requests} index requests, ${bytes} bytes (search.js ${script} bytes more); keystroke to results median ${times[Math.floor(times.length / 2)].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)}, ${runs} runs)`);
    }
  } finally {
    await browser.close();
    server.close();
  }
}

// ---- live reload against `lockgen serve` -------------------------------------

async function checkLive(opts) {
  for (const k of ['url', 'file', 'old', 'new']) if (!opts[k]) throw new Error(`live: --${k} is required`);
  const where = `live ${opts.url}`;
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: VIEWPORTS[0] });
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    // Count page loads, and note when the reload stream is open, without changing the page.
    let navigations = 0;
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
    await page.addInitScript(() => {
      const ES = window.EventSource;
      if (!ES) return;
      window.__lockgenStreams = [];
      window.EventSource = function (...a) { const s = new ES(...a); window.__lockgenStreams.push(s); return s; };
      window.EventSource.prototype = ES.prototype;
    });
    const t0 = Date.now();
    await page.goto(opts.url, { waitUntil: 'load' });
    const before = await page.textContent('main');
    if (!before.includes(opts.old)) { fail(where, `page does not show the original text "${opts.old}"`); return; }
    if (before.includes(opts.new)) { fail(where, `page already shows "${opts.new}"`); return; }
    try {
      await page.waitForFunction(() => (window.__lockgenStreams || []).some((s) => s.readyState === 1), null, { timeout: 5_000 });
    } catch {
      fail(where, 'the page opened no live-reload stream (EventSource) within 5 s');
      return;
    }
    const source = fs.readFileSync(opts.file, 'utf8');
    if (!source.includes(opts.old)) throw new Error(`${opts.file} does not contain "${opts.old}"`);
    const loadsBefore = navigations;
    const tEdit = Date.now();
    fs.writeFileSync(opts.file, source.replace(opts.old, opts.new));
    try {
      await page.waitForFunction((t) => document.querySelector('main')?.textContent.includes(t), opts.new, { timeout: 10_000, polling: 100 });
    } catch {
      fail(where, `the page did not show "${opts.new}" within 10 s of the edit`);
      if (opts.shots) await page.screenshot({ path: path.join(opts.shots, 'live-reload-timeout.png'), fullPage: true }).catch(() => {});
      return;
    }
    const ms = Date.now() - tEdit;
    if (navigations === loadsBefore) console.log('note: the page changed without a navigation');
    for (const p of problems) fail(where, p);
    if (opts.shots) { fs.mkdirSync(opts.shots, { recursive: true }); await page.screenshot({ path: path.join(opts.shots, 'live-reload-375.png'), fullPage: true }); }
    console.log(`live reload: page showed the edit ${ms} ms after the file was written (first load ${tEdit - t0} ms before)`);
  } finally {
    await browser.close();
  }
}

// ---- the encrypted build ------------------------------------------------------

async function checkCrypt(opts) {
  if (!opts.dir || !opts.pass) throw new Error('crypt: --dir and --pass are required');
  const dir = path.resolve(opts.dir);
  let server = null;
  let home;
  if (opts['file-url']) home = `file://${dir}/index.html`;
  else { const s = await serve(dir); server = s.server; home = `${s.origin}/`; }
  const where = `crypt ${opts['file-url'] ? 'file://' : 'http'}`;
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: VIEWPORTS[1] });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const text = () => page.evaluate(() => document.documentElement.innerText);
    const shown = () => page.evaluate(() => document.documentElement.getAttribute('data-lockgen-page'));
    const waitPage = (rel) => page.waitForFunction((rel) => document.documentElement.getAttribute('data-lockgen-page') === rel, rel, { timeout: 20_000 });
    const formShown = () => page.evaluate(() => { const f = document.getElementById('lockgen-unlock'); return !!f && !f.hidden; });

    await page.goto(home, { waitUntil: 'load' });
    await page.waitForSelector('#lockgen-unlock:not([hidden])', { timeout: 10_000 });
    const first = await text();
    for (const secret of ['Server Room', 'Finance', 'Tarnwell', 'Main building']) {
      if (first.includes(secret)) fail(where, `the shell shows "${secret}" before unlocking`);
    }
    // A wrong passphrase: a message, and nothing of the handbook.
    await page.fill('#lockgen-passphrase', 'not the passphrase of anyone');
    await page.click('#lockgen-unlock button');
    await page.waitForSelector('#lockgen-error:not([hidden])', { timeout: 20_000 });
    const wrong = await page.textContent('#lockgen-error');
    if (!/wrong passphrase/i.test(wrong)) fail(where, `a wrong passphrase says ${JSON.stringify(wrong)}`);
    if (await shown()) fail(where, 'a page is shown after a wrong passphrase');

    await page.fill('#lockgen-passphrase', opts.pass);
    await page.click('#lockgen-unlock button');
    await waitPage('index.html');
    const unlock = await page.evaluate(() => window.lockgenTimings.unlock);
    console.log(`${where}: unlocked in ${unlock.toFixed(0)} ms (PBKDF2 for every audience slot, the manifest, the home page)`);
    const homeText = await text();
    if (!homeText.includes('Server Room B2')) fail(where, 'the home page does not list Server Room B2 (basement reads it)');
    if (/Finance Strongroom|strongroom/i.test(homeText)) fail(where, 'the home page lists the finance safe (basement does not read it)');
    if (!(await page.$('#lockgen-lock-button'))) fail(where, 'no Lock button');

    // The contents, then a link on it: no passphrase asked again.
    await page.click('a[href="#/contents/"]');
    await waitPage('contents/index.html');
    const contents = await text();
    if (!contents.includes('Server Room B2') || /strongroom/i.test(contents)) fail(where, 'the contents are not basement\'s');
    await page.click('main a:has-text("Server Room B2")');
    await page.waitForFunction(() => /server-room-b2-master/.test(document.documentElement.getAttribute('data-lockgen-page') || ''), null, { timeout: 20_000 });
    if (await formShown()) fail(where, 'the passphrase was asked again on a link');
    const opened = await page.evaluate(() => window.lockgenTimings.open);
    console.log(`${where}: opened a page in ${opened.toFixed(0)} ms`);
    if (!(await text()).includes('Master Code Procedure')) fail(where, 'the sensitive entry did not open');

    // A bundle's photo, decrypted into a blob: URL.
    await page.evaluate(() => { location.hash = '#/locks/tarnwell/kp-45/'; });
    await waitPage('locks/tarnwell/kp-45/index.html');
    const img = await page.evaluate(async () => {
      const i = document.querySelector('main img');
      if (!i) return null;
      if (!i.complete) await new Promise((ok) => { i.onload = ok; i.onerror = ok; });
      return { src: i.getAttribute('src'), width: i.naturalWidth };
    });
    if (!img || !img.src.startsWith('blob:') || !img.width) fail(where, `the bundle's photo does not show: ${JSON.stringify(img)}`);

    // Search: the audience's index, decrypted.
    const search = async (q) => {
      await page.fill('#search-q', q);
      await page.waitForFunction((q) => document.querySelector('form.search')?.getAttribute('data-results-for') === q, q, { timeout: 20_000 });
      return page.evaluate(() => [...document.querySelectorAll('.search-results li .search-title')].map((t) => t.textContent));
    };
    // Server Room B2 is sensitive: only the decrypted index holds it.
    const code = await search('B2');
    if (!code.some((t) => t.includes('Server Room B2'))) fail(where, `search for B2 found ${JSON.stringify(code)}`);
    const other = await search('strongroom');
    if (other.length) fail(where, `search for strongroom found ${JSON.stringify(other)} (basement does not read it)`);
    await search('KS-12');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /kestrelby\/ks-12/.test(document.documentElement.getAttribute('data-lockgen-page') || ''), null, { timeout: 20_000 });

    // A reload keeps the key (sessionStorage); Lock forgets it.
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => !!document.documentElement.getAttribute('data-lockgen-page'), null, { timeout: 20_000 });
    if (await formShown()) fail(where, 'a reload asked for the passphrase again');
    await page.click('#lockgen-lock-button');
    await page.waitForSelector('#lockgen-unlock:not([hidden])', { timeout: 10_000 });
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('#lockgen-unlock:not([hidden])', { timeout: 10_000 });
    if (await shown()) fail(where, 'after Lock, a page is shown');
    const stored = await page.evaluate(() => sessionStorage.length + localStorage.length);
    if (stored) fail(where, `after Lock, ${stored} stored key(s) remain`);
    // "Remember on this device": the key also goes to localStorage, and Lock removes it.
    await page.fill('#lockgen-passphrase', opts.pass);
    await page.check('#lockgen-remember');
    await page.click('#lockgen-unlock button');
    await waitPage('index.html');
    if (await page.evaluate(() => localStorage.length) !== 1) fail(where, '"remember" did not keep the key in localStorage');
    await page.click('#lockgen-lock-button');
    await page.waitForSelector('#lockgen-unlock:not([hidden])', { timeout: 10_000 });
    if (await page.evaluate(() => localStorage.length + sessionStorage.length)) fail(where, 'Lock left a remembered key');

    // Changed files: every encrypted file but the key file gets one byte changed.
    const cdir = path.join(dir, 'crypt');
    for (const f of fs.readdirSync(cdir)) {
      if (f === 'keys.js') continue;
      const file = path.join(cdir, f), t = fs.readFileSync(file, 'utf8'), at = t.indexOf('","') + 10;
      fs.writeFileSync(file, t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1));
    }
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('#lockgen-unlock:not([hidden])', { timeout: 10_000 });
    await page.fill('#lockgen-passphrase', opts.pass);
    await page.click('#lockgen-unlock button');
    await page.waitForSelector('#lockgen-error:not([hidden])', { timeout: 20_000 });
    const damaged = await page.textContent('#lockgen-error');
    if (!/changed|damaged/i.test(damaged)) fail(where, `changed files say ${JSON.stringify(damaged)}`);
    if (await shown()) fail(where, 'a page is shown from changed files');

    for (const p of problems) fail(where, p);
    console.log(`${where}: checked`);
  } finally {
    await browser.close();
    if (server) server.close();
  }
}

// ---- main --------------------------------------------------------------------

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
  if (!['site', 'drill', 'live', 'search', 'search-bench', 'guide', 'crypt'].includes(opts.mode)) throw new Error(`unknown mode ${opts.mode}`);
} catch (e) {
  console.error(`${e.message}\n${usage}`);
  process.exit(2);
}
const started = Date.now();
try {
  if (opts.mode === 'site') await checkSite(opts);
  else if (opts.mode === 'drill') await checkDrill(opts);
  else if (opts.mode === 'search') await checkSearch(opts);
  else if (opts.mode === 'search-bench') await benchSearch(opts);
  else if (opts.mode === 'guide') await checkGuide(opts);
  else if (opts.mode === 'crypt') await checkCrypt(opts);
  else await checkLive(opts);
} catch (e) {
  console.error(`error: ${e.stack || e}`);
  process.exit(2);
}
console.log(`${failures.length} failure(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failures.length ? 1 : 0);
