// The pvm explorer: replays a scenario statement by statement from the data pvm recorded.
// Everything below reads that data (the <script id="pvm-data"> element); nothing is fetched.
'use strict';

// A script error is kept on the page, where a test (or a curious reader) can find it.
window.addEventListener('error', ev => { document.body.dataset.error = String(ev.message); });

const D = JSON.parse(document.getElementById('pvm-data').textContent);
const $ = id => document.getElementById(id);
const M = D.machine || {};
const PAGE = M.pageSize || 4096;
const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
const NEEDSCOPY = 1;
const FREE = 1;

// ---- formatting --------------------------------------------------------------------------------

const hex = (n, w = 8) => '0x' + Math.max(0, n).toString(16).padStart(w, '0');
function human(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  let v = bytes;
  while (u < units.length - 1 && v >= 1024) { v /= 1024; u++; }
  return (Number.isInteger(v) ? String(v) : v.toFixed(1)) + ' ' + units[u];
}
const protLetters = p => (p & PROT_READ ? 'r' : '-') + (p & PROT_WRITE ? 'w' : '-') + (p & PROT_EXEC ? 'x' : '-');
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
};
const plural = (n, word) => n + ' ' + (n === 1 ? word : word.endsWith('y') ? word.slice(0, -1) + 'ies' : word + 's');

/** {@code fn(step)}, computed once per step: the data never changes, only which step is shown. */
function perStep(fn) {
  const cache = new Map();
  return step => {
    if (!cache.has(step)) cache.set(step, fn(step));
    return cache.get(step);
  };
}

// ---- page kinds: the flag byte of a frame, as the HAL letters it and as words -------------------

const KIND_COLOURS = {
  free: '#e6e8eb', boot: '#8c8c8c', kernel: '#1f3b73', 'kernel/syspage': '#7b3294', 'kernel/cpu': '#008080',
  'kernel/ptable': '#f28e2b', 'kernel/pmap': '#9c755f', 'kernel/stack': '#e15759', 'kernel/heap': '#d4b02a',
  app: '#59a14f',
};
function kindOf(flags) {
  if (flags & FREE) return { letter: '.', text: 'free', colour: KIND_COLOURS.free };
  const k = (M.flagKinds || {})[flags] || ['', 'flags ' + flags];
  return { letter: k[0], text: k[1], colour: KIND_COLOURS[k[1]] || '#2d6a2d' };
}

// ---- frames: decoded once per step from the runs pvm wrote ---------------------------------------

const frames = perStep(step => {
  const runs = D.steps[step].frames;
  let n = 0;
  for (const r of runs) n += r[1];
  const f = { n, addr: new Float64Array(n), flags: new Uint8Array(n), idx: new Int8Array(n), byAddr: new Map() };
  let i = 0;
  for (const [addr, count, flags, idx] of runs) {
    for (let k = 0; k < count; k++, i++) {
      f.addr[i] = addr + k * PAGE;
      f.flags[i] = flags;
      f.idx[i] = idx;
      f.byAddr.set(f.addr[i], i);
    }
  }
  return f;
});

/** The block a frame belongs to: its first frame and its order (log2 of its size in bytes). */
function blockOf(f, i) {
  let h = i;
  while (h > 0 && f.idx[h] === -1) h--;
  if (f.idx[h] < 0) return null;
  return { head: h, order: f.idx[h], bytes: 2 ** f.idx[h] };
}

/** Contiguous pieces of physical memory (the frames between holes), from the first step. */
function segments() {
  const f = frames(0);
  const segs = [];
  for (let i = 0; i < f.n; i++) {
    const last = segs[segs.length - 1];
    if (last && f.addr[i] === f.addr[last.first + last.count - 1] + PAGE) last.count++;
    else segs.push({ first: i, count: 1, start: f.addr[i] });
  }
  for (const s of segs) {
    s.end = s.start + s.count * PAGE;
    const bank = (M.banks || []).find(b => s.start >= b.start && s.start < b.end);
    s.bank = bank ? bank.name : '';
  }
  return segs;
}

/**
 * The pages mapped in an entry, {@code [va, pa, attr]} after one another. pvm writes them as runs
 * {@code [va, pa, attr, count]} of pages that follow each other in both address spaces (a kernel
 * that maps all of RAM is then a handful of numbers); they are unpacked when first needed.
 */
const unpacked = new WeakMap();
function pagesOf(e) {
  let out = unpacked.get(e);
  if (out) return out;
  out = [];
  for (let k = 0; k < e.pages.length; k += 4) {
    for (let n = 0; n < e.pages[k + 3]; n++) out.push(e.pages[k] + n * PAGE, e.pages[k + 1] + n * PAGE, e.pages[k + 2]);
  }
  unpacked.set(e, out);
  return out;
}

// ---- who maps a frame: built per step from every map's resident pages --------------------------

const reverseMap = perStep(step => {
  const rev = new Map();
  for (const m of D.steps[step].maps) {
    m.entries.forEach((e, ei) => {
      const pages = pagesOf(e);
      for (let k = 0; k < pages.length; k += 3) {
        const pa = pages[k + 1];
        if (!rev.has(pa)) rev.set(pa, []);
        rev.get(pa).push({ map: m.name, entry: e, index: ei, va: pages[k], attr: pages[k + 2] });
      }
    });
  }
  return rev;
});

const anonsByFrame = perStep(step => {
  const out = new Map();
  for (const a of D.steps[step].amaps || []) {
    for (let k = 0; k < a.anons.length; k += 3) {
      out.set(a.anons[k + 2], { amap: a, slot: a.anons[k], refs: a.anons[k + 1] });
    }
  }
  return out;
});

// ---- what changed between two steps --------------------------------------------------------------

const frameChanges = perStep(step => {
  const out = { allocated: [], freed: [], changed: [], set: new Set() };
  if (step === 0) return out;
  const a = frames(step - 1), b = frames(step);
  for (let i = 0; i < b.n; i++) {
    const fa = a.flags[i], fb = b.flags[i];
    if (fa === fb && a.idx[i] === b.idx[i]) continue;
    const wasFree = (fa & FREE) !== 0, isFree = (fb & FREE) !== 0;
    if (wasFree && !isFree) out.allocated.push(i);
    else if (!wasFree && isFree) out.freed.push(i);
    else if (fa !== fb) out.changed.push(i);
    else continue; // only the block bookkeeping moved (a free block split or merged)
    out.set.add(i);
  }
  return out;
});

const entryKey = e => e.start + ':' + e.end;
const overlaps = (a, b) => a.start < b.end && b.start < a.end;

/** Entries added, removed, split, merged or changed in each map, and processes that came or went. */
const entryChanges = perStep(step => {
  const out = [];
  if (step === 0) return out;
  const before = new Map(D.steps[step - 1].maps.map(m => [m.name, m]));
  const after = new Map(D.steps[step].maps.map(m => [m.name, m]));
  for (const [name, m] of after) {
    if (!before.has(name)) { out.push({ map: name, what: 'new address space', detail: plural(m.entries.length, 'entry') }); continue; }
    const old = before.get(name).entries;
    const cur = m.entries;
    const oldKeys = new Map(old.map(e => [entryKey(e), e]));
    const curKeys = new Map(cur.map(e => [entryKey(e), e]));
    const seen = new Set();
    for (const e of cur) {
      const same = oldKeys.get(entryKey(e));
      if (same) {
        const diffs = [];
        if (same.prot !== e.prot) diffs.push('protection ' + protLetters(same.prot) + ' → ' + protLetters(e.prot));
        if ((same.flags & NEEDSCOPY) !== (e.flags & NEEDSCOPY)) diffs.push(e.flags & NEEDSCOPY ? 'now needs copy' : 'copied (needs copy cleared)');
        if (same.anonBytes !== e.anonBytes) diffs.push('amap ' + (same.anonBytes < 0 ? 'none' : human(same.anonBytes)) + ' → ' + (e.anonBytes < 0 ? 'none' : human(e.anonBytes)));
        if (diffs.length) out.push({ map: name, what: 'changed', range: e, detail: diffs.join(', ') });
        continue;
      }
      if (seen.has(e)) continue;
      const olds = old.filter(o => overlaps(o, e) && !curKeys.has(entryKey(o)));
      if (olds.length >= 2) {
        out.push({ map: name, what: 'merged', range: e, detail: olds.map(rangeText).join(' + ') + ' → ' + rangeText(e) });
      } else if (olds.length === 1) {
        const o = olds[0];
        const parts = cur.filter(c => overlaps(c, o) && !oldKeys.has(entryKey(c)));
        parts.forEach(p => seen.add(p));
        if (parts.length >= 2) out.push({ map: name, what: 'split', range: e, detail: rangeText(o) + ' → ' + parts.map(rangeText).join(' + ') });
        else if (e.start <= o.start && e.end >= o.end) out.push({ map: name, what: 'grown (the new range merged into its neighbour)', range: e, detail: rangeText(o) + ' → ' + rangeText(e) });
        else out.push({ map: name, what: 'shrunk', range: e, detail: rangeText(o) + ' → ' + rangeText(e) });
        seen.add(o);
      } else {
        out.push({ map: name, what: 'added', range: e, detail: rangeText(e) + ' ' + protLetters(e.prot) + ' ' + e.object });
      }
    }
    for (const o of old) {
      if (curKeys.has(entryKey(o)) || seen.has(o)) continue;
      if (cur.some(c => overlaps(c, o))) continue; // accounted for as merged, split, grown or shrunk
      out.push({ map: name, what: 'removed', range: o, detail: rangeText(o) + ' ' + protLetters(o.prot) + ' ' + o.object });
    }
  }
  for (const name of before.keys()) {
    if (!after.has(name)) out.push({ map: name, what: 'address space gone', detail: 'the process exited' });
  }
  return out;
});
const rangeText = e => hex(e.start) + '–' + hex(e.end);

/** Pages that changed their translation in some map: newly mapped, unmapped, remapped, write right changed. */
function mappingChanges(step) {
  const out = [];
  if (step === 0) return out;
  const index = s => {
    const m = new Map();
    for (const map of D.steps[s].maps) {
      if (map.name === 'kernel') continue;
      for (const e of map.entries) for (let k = 0; k < pagesOf(e).length; k += 3) m.set(map.name + '@' + pagesOf(e)[k], [pagesOf(e)[k + 1], pagesOf(e)[k + 2]]);
    }
    return m;
  };
  const a = index(step - 1), b = index(step);
  const W = M.attrWrite;
  for (const [key, [pa, attr]] of b) {
    const [name, va] = key.split('@');
    const old = a.get(key);
    if (!old) out.push(`${name}: ${hex(+va)} now maps frame ${hex(pa)}${attr & W ? '' : ' read-only'}`);
    else if (old[0] !== pa) out.push(`${name}: ${hex(+va)} now maps frame ${hex(pa)} (was ${hex(old[0])})`);
    else if ((old[1] & W) !== (attr & W)) out.push(`${name}: ${hex(+va)} is now ${attr & W ? 'writable' : 'read-only'} in the page table`);
  }
  for (const key of a.keys()) {
    if (!b.has(key)) { const [name, va] = key.split('@'); out.push(`${name}: ${hex(+va)} is no longer mapped`); }
  }
  return out;
}

// ---- the step being shown -----------------------------------------------------------------------

let current = 0;
let zoom = 4;
let fold = true;
const ZOOMS = [1, 2, 3, 4, 6, 8, 12, 16, 24];

function go(step) {
  if (!D.steps || D.steps.length === 0) return;
  current = Math.max(0, Math.min(D.steps.length - 1, step));
  document.body.dataset.step = String(current);
  if (location.hash !== '#step=' + current) history.replaceState(null, '', '#step=' + current);
  renderAll();
}

function renderAll() {
  renderTimeline();
  renderSource();
  renderStatement();
  renderChanges();
  renderPageMap();
  renderMaps();
  renderWalk();
  renderBuddy();
  renderKmalloc();
  renderObjects();
}

function renderTimeline() {
  const n = D.steps.length;
  $('counter').textContent = `step ${current} of ${n - 1}`;
  $('first').disabled = $('prev').disabled = current === 0;
  $('last').disabled = $('next').disabled = current === n - 1;
  const ticks = $('ticks');
  if (ticks.children.length !== n) {
    ticks.replaceChildren(...D.steps.map((s, i) => {
      const t = el('div', { class: 'tick' + (s.passed ? '' : ' failed'), title: `step ${i}: ${s.text}`, role: 'listitem' });
      t.addEventListener('click', () => go(i));
      return t;
    }));
  }
  [...ticks.children].forEach((t, i) => t.classList.toggle('current', i === current));
}

const stepOfLine = new Map();
function renderSource() {
  const box = $('source');
  if (!box.children.length) {
    D.steps.forEach((s, i) => { if (s.line > 0) stepOfLine.set(s.line, i); });
    (D.source || []).forEach((text, i) => {
      const n = i + 1;
      const trimmed = text.trim();
      const cls = 'src' + (trimmed.startsWith('#') ? ' comment' : '') + (stepOfLine.has(n) ? ' stmt' : '');
      const row = el('div', { class: cls, 'data-line': String(n) }, el('span', { class: 'n', text: String(n) }), el('span', { text: text || ' ' }));
      if (stepOfLine.has(n)) row.addEventListener('click', () => go(stepOfLine.get(n)));
      box.append(row);
    });
  }
  const line = D.steps[current].line;
  for (const row of box.children) {
    const n = +row.dataset.line;
    row.classList.toggle('current', n === line);
    row.classList.toggle('failed', n === line && !D.steps[current].passed);
    if (stepOfLine.has(n)) {
      row.classList.toggle('done', stepOfLine.get(n) <= current);
      row.classList.toggle('todo', stepOfLine.get(n) > current);
    }
  }
  const cur = box.querySelector('.current');
  if (cur) {
    const top = cur.offsetTop - box.clientHeight / 3;
    if (cur.offsetTop < box.scrollTop || cur.offsetTop > box.scrollTop + box.clientHeight - 30) box.scrollTop = top;
  }
}

function renderStatement() {
  const s = D.steps[current];
  const box = $('statement');
  const kids = [];
  if (D.skipped) kids.push(el('div', { class: 'banner', text: `This scenario is skipped on ${M.arch}: ${D.skipped}. Only the booted machine is shown.` }));
  kids.push(el('div', {},
    el('span', { class: 'muted', text: current === 0 ? 'the machine after boot · ' : `line ${s.line} · ` }),
    el('code', { class: 'stmt', text: current === 0 ? (M.arch + ', ' + human(M.ram) + ' of RAM, ' + plural(M.cpus, 'CPU')) : s.text })));
  const res = el('div', { class: 'result' }, el('span', { class: 'badge ' + (s.passed ? 'pass' : 'fail'), text: s.passed ? 'ok' : 'FAILED' }), ' ',
    el('span', { class: 'mono', id: 'result', text: s.result }));
  kids.push(res);
  if (s.details.length) kids.push(el('pre', { class: 'details', text: s.details.join('\n') }));
  box.replaceChildren(...kids);
}

function renderChanges() {
  const box = $('changes');
  const s = D.steps[current];
  const fc = frameChanges(current);
  const ec = entryChanges(current);
  const mc = mappingChanges(current);
  box.dataset.allocated = String(fc.allocated.length);
  box.dataset.freed = String(fc.freed.length);
  const kids = [el('h2', { text: current === 0 ? 'After boot' : 'What changed in this step' })];
  if (current > 0) {
    const a = s.accounting, b = D.steps[current - 1].accounting;
    const chips = el('div', { class: 'chips' });
    const chip = (label, now, then, fmt, upIsBad) => {
      const d = now - then;
      const c = el('span', { class: 'chip' + (d === 0 ? '' : (d > 0) === upIsBad ? ' up' : ' down'),
        text: `${label}: ${fmt(now)}${d === 0 ? '' : ' (' + (d > 0 ? '+' : '−') + fmt(Math.abs(d)) + ')'}` });
      chips.append(c);
    };
    chip('free memory', a.freeBytes, b.freeBytes, human, false);
    chip('kmalloc', a.kmallocBytes, b.kmallocBytes, human, true);
    chip('map entries', a.entries, b.entries, String, true);
    chip('objects, amaps, anons', a.objects, b.objects, String, true);
    kids.push(chips);
    const f = frames(current);
    const list = el('ul');
    const frameLine = (label, is) => {
      if (!is.length) return;
      const shown = is.slice(0, 8).map(i => hex(f.addr[i]) + ' ' + kindOf(f.flags[i]).text).join(', ');
      list.append(el('li', { text: `${plural(is.length, 'page')} ${label}: ${shown}${is.length > 8 ? ', …' : ''}` }));
    };
    frameLine('allocated', fc.allocated);
    frameLine('freed', fc.freed);
    frameLine('changed owner', fc.changed);
    for (const c of ec) list.append(el('li', { text: `${c.map}: ${c.what}${c.detail ? ' — ' + c.detail : ''}` }));
    for (const m of mc.slice(0, 12)) list.append(el('li', { text: m }));
    if (mc.length > 12) list.append(el('li', { text: `… and ${mc.length - 12} more translations` }));
    if (!list.children.length) list.append(el('li', { class: 'muted', text: 'nothing in memory changed' }));
    kids.push(list);
  } else {
    (D.headers || []).filter(h => h.trim()).forEach(h => kids.push(el('div', { class: 'mono muted', text: h })));
    const f = frames(0);
    let free = 0;
    for (let i = 0; i < f.n; i++) if (f.flags[i] & FREE) free++;
    kids.push(el('p', { text: `${plural(f.n, 'page')} of ${human(PAGE)}; ${free} free. Step through the scenario with the buttons or the arrow keys; every picture below shows the machine after the statement.` }));
  }
  box.replaceChildren(...kids);
}

// ---- the physical page map ---------------------------------------------------------------------

const AXIS = 96;     // width of the address axis, in CSS pixels
const BAND = 20;     // height of a bank label or a hole
let layout = null;   // where each frame is drawn, for the tooltip and the tests

function renderLegend() {
  const box = $('legend');
  const seen = new Map();
  for (const s of D.steps) for (const r of s.frames) {
    const k = kindOf(r[2]);
    if (!seen.has(k.text)) seen.set(k.text, k);
  }
  const keys = [...seen.values()].sort((a, b) => (a.text === 'free' ? -1 : b.text === 'free' ? 1 : a.text.localeCompare(b.text)));
  box.replaceChildren(
    ...keys.map(k => el('span', { class: 'key' }, el('span', { class: 'sw', style: 'background:' + k.colour }), (k.letter ? k.letter + ' ' : '') + k.text)),
    el('span', { class: 'key' }, el('span', { class: 'sw hole' }), 'hole (no RAM)'),
    el('span', { class: 'key' }, el('span', { class: 'sw changed' }), 'changed in this step'),
    el('span', { class: 'key' }, el('span', { class: 'sw picked' }), 'picked in an address space (click a page there)'));
}

function renderZoomBar() {
  const minus = el('button', { title: 'smaller pages (-)', text: '−' });
  const plus = el('button', { title: 'bigger pages (+)', text: '+' });
  const label = el('span', { class: 'muted', id: 'zoomlabel' });
  minus.addEventListener('click', () => setZoom(-1));
  plus.addEventListener('click', () => setZoom(+1));
  const note = M.showsPageMap ? '' : ' · this target prints no page map (as on Phoenix without an MMU); the frames are drawn from the page allocator';
  const box = el('input', { type: 'checkbox', id: 'fold' });
  box.checked = fold;
  box.addEventListener('change', () => { fold = box.checked; renderPageMap(); });
  const foldLabel = el('label', { for: 'fold', title: 'rows of pages that are free at every step of the scenario are drawn as one band' }, box, ' fold memory that stays free');
  $('zoom').replaceChildren(minus, plus, label, foldLabel, el('span', { class: 'muted', text: note }));
}

/** Pages per row: a multiple of 64 or 16 (or a power of two below that), so that row addresses stay round numbers. */
function columnsFor(z, width) {
  const fit = Math.floor((width - AXIS) / z);
  if (fit >= 64) return Math.min(fit - fit % 64, 4096);
  if (fit >= 16) return fit - fit % 16;
  let cols = 1;
  while (cols * 2 <= fit) cols *= 2;
  return cols;
}

/**
 * The pieces of physical memory in address order: the page allocator's (with frames), and the banks
 * of RAM it does not manage (on some targets memory maps hand those out), which are drawn as a band.
 */
function regions() {
  const segs = segments();
  const out = [...segs];
  for (const b of M.banks || []) {
    // The parts of the bank no frame covers.
    let at = b.start;
    for (const s of segs.filter(s => s.start < b.end && b.start < s.end).sort((x, y) => x.start - y.start)) {
      if (s.start > at) out.push({ start: at, end: s.start, bank: b.name, unmanaged: true });
      at = Math.max(at, s.end);
    }
    if (at < b.end) out.push({ start: at, end: b.end, bank: b.name, unmanaged: true });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Frames that are in use at some step: the rest stays free throughout and may be folded away. */
let everUsed = null;
function usedFrames() {
  if (everUsed) return everUsed;
  everUsed = new Uint8Array(frames(0).n);
  const index = frames(0).byAddr;
  for (const s of D.steps) {
    for (const [addr, count, flags] of s.frames) {
      if (flags & FREE) continue;
      const first = index.get(addr);
      everUsed.fill(1, first, first + count);
    }
  }
  return everUsed;
}

/**
 * Where everything goes for pages of {@code z} pixels: per piece of memory a label band, then
 * blocks of rows; with folding, three or more rows that stay free at every step become one band.
 */
function planPageMap(z, width) {
  const cols = columnsFor(z, width);
  const used = usedFrames();
  const plan = { cols, zoom: z, items: [], blocks: [], height: 0 };
  let y = 0;
  let last = null;
  for (const s of regions()) {
    if (last !== null && s.start > last) {
      plan.items.push({ hole: true, y, start: last, end: s.start });
      y += BAND;
    }
    last = s.end;
    if (s.unmanaged) {
      plan.items.push({ unmanaged: true, y, seg: s });
      y += BAND;
      continue;
    }
    plan.items.push({ label: true, y, seg: s });
    y += BAND;
    const rows = Math.ceil(s.count / cols);
    const idle = row => {
      for (let k = row * cols; k < Math.min(s.count, (row + 1) * cols); k++) if (used[s.first + k]) return false;
      return true;
    };
    const foldsAt = row => fold && row + 2 < rows && idle(row) && idle(row + 1) && idle(row + 2);
    let r = 0;
    while (r < rows) {
      let e = r + 1;
      if (foldsAt(r)) {
        while (e < rows && idle(e)) e++;
        plan.items.push({ fold: true, y, start: s.start + r * cols * PAGE, end: Math.min(s.end, s.start + e * cols * PAGE) });
        y += BAND;
      } else {
        while (e < rows && !foldsAt(e)) e++;
        plan.blocks.push({ seg: s, row0: r, rows: e - r, y });
        y += (e - r) * z;
      }
      r = e;
    }
  }
  plan.height = y;
  return plan;
}

/** The biggest pages for which all of physical memory (folded or not) fits in about half a screen. */
function fittingZoom() {
  const width = Math.max(400, $('pagemap').clientWidth - 20);
  const budget = Math.max(360, window.innerHeight * 0.55);
  for (let z = ZOOMS.length - 1; z >= 0; z--) {
    if (planPageMap(ZOOMS[z], width).height <= budget) return ZOOMS[z];
  }
  return ZOOMS[0];
}

function setZoom(d) {
  const i = ZOOMS.indexOf(zoom);
  zoom = ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, i + d))];
  renderPageMap();
}

function hatch(g, x0, y0, w, h) {
  g.save();
  g.beginPath();
  g.rect(x0, y0, w, h);
  g.clip();
  g.fillStyle = '#f1f2f4';
  g.fillRect(x0, y0, w, h);
  g.strokeStyle = '#b0b6be';
  g.beginPath();
  for (let x = x0 - h; x < x0 + w; x += 6) { g.moveTo(x, y0 + h); g.lineTo(x + h, y0); }
  g.stroke();
  g.restore();
}

function bandText(g, text, x, y) {
  const tw = g.measureText(text).width;
  g.fillStyle = '#fff';
  g.fillRect(x, y + 4, tw, BAND - 8);
  g.fillStyle = '#444';
  g.fillText(text, x, y + BAND / 2);
}

function renderPageMap() {
  const host = $('pagemap');
  const f = frames(current);
  const changed = frameChanges(current).set;
  const width = Math.max(400, host.clientWidth - 20);
  layout = planPageMap(zoom, width);
  const { cols, items, blocks } = layout;
  const y = layout.height;
  const dpr = window.devicePixelRatio || 1;
  let canvas = host.querySelector('canvas');
  if (!canvas) {
    canvas = el('canvas', { id: 'pagecanvas' });
    host.append(canvas);
    canvas.addEventListener('mousemove', ev => showFrameTip(ev));
    canvas.addEventListener('mouseleave', () => { $('tooltip').hidden = true; });
  }
  const W = AXIS + cols * zoom + 4;
  canvas.width = W * dpr;
  canvas.height = (y + 4) * dpr;
  canvas.style.width = W + 'px';
  canvas.style.height = (y + 4) + 'px';
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, W, y + 4);
  g.font = '11px ui-monospace, "DejaVu Sans Mono", monospace';
  g.textBaseline = 'middle';
  for (const it of items) {
    if (it.hole) {
      hatch(g, AXIS, it.y + 2, cols * zoom, BAND - 4);
      bandText(g, ` hole ${hex(it.start)}–${hex(it.end)} (${human(it.end - it.start)}): no RAM here `, AXIS + 8, it.y);
    } else if (it.fold) {
      g.fillStyle = KIND_COLOURS.free;
      g.fillRect(AXIS, it.y + 3, cols * zoom, BAND - 6);
      g.fillStyle = '#6b7280';
      g.fillText(hex(it.start), 2, it.y + BAND / 2);
      bandText(g, ` ⋯ ${hex(it.start)}–${hex(it.end)}: ${human(it.end - it.start)} free at every step, folded ⋯ `, AXIS + 8, it.y);
    } else if (it.unmanaged) {
      const sg = it.seg;
      g.fillStyle = '#e3ecf7';
      g.fillRect(AXIS, it.y + 2, cols * zoom, BAND - 4);
      g.fillStyle = '#6b7280';
      g.fillText(hex(sg.start), 2, it.y + BAND / 2);
      bandText(g, ` ${sg.bank}: ${hex(sg.start)}–${hex(sg.end)}, ${human(sg.end - sg.start)}: RAM the page allocator does not manage `, AXIS + 8, it.y);
    } else if (it.label) {
      g.fillStyle = '#1d2330';
      const sg = it.seg;
      g.fillText(`${sg.bank ? sg.bank + ': ' : ''}${hex(sg.start)}–${hex(sg.end)}, ${human(sg.end - sg.start)}, ${plural(sg.count, 'page')}`, AXIS, it.y + BAND / 2 + 1);
    }
  }
  const gapPx = zoom >= 4 ? 1 : 0;
  const letters = zoom >= 12;
  // The address axis: a label at the first row of each block, then every few rows, so that labels stay apart.
  const every = Math.max(1, Math.ceil(16 / zoom));
  for (const b of blocks) {
    g.fillStyle = '#6b7280';
    for (let r = 0; r < b.rows; r += every) g.fillText(hex(b.seg.start + (b.row0 + r) * cols * PAGE), 2, b.y + r * zoom + Math.min(zoom, 16) / 2);
    const from = b.row0 * cols;
    const to = Math.min(b.seg.count, (b.row0 + b.rows) * cols);
    for (let k = from; k < to; k++) {
      const i = b.seg.first + k;
      const kind = kindOf(f.flags[i]);
      const x = AXIS + (k % cols) * zoom;
      const cy = b.y + (Math.floor(k / cols) - b.row0) * zoom;
      g.fillStyle = kind.colour;
      g.fillRect(x, cy, zoom - gapPx, zoom - gapPx);
      if (letters && kind.letter && kind.letter !== '.') {
        g.fillStyle = kind.text === 'kernel/heap' || kind.text === 'free' ? '#1d2330' : '#fff';
        g.textAlign = 'center';
        g.fillText(kind.letter, x + (zoom - gapPx) / 2, cy + zoom / 2);
        g.textAlign = 'start';
      }
    }
  }
  // Frames changed in this step, ringed so that even a one-pixel page stands out.
  g.strokeStyle = '#ff1744';
  g.lineWidth = 2;
  for (const i of changed) {
    const c = cellOf(i);
    if (c) g.strokeRect(c.x - 2, c.y - 2, zoom + 3, zoom + 3);
  }
  // The frame picked in an address space, ringed in blue.
  const picked = selectedFrame === null ? undefined : f.byAddr.get(selectedFrame);
  if (picked !== undefined) {
    const c = cellOf(picked);
    if (c) {
      g.strokeStyle = '#1565c0';
      g.lineWidth = 3;
      g.strokeRect(c.x - 3, c.y - 3, zoom + 5, zoom + 5);
    }
  }
  $('zoomlabel').textContent = `${zoom} px per page, ${cols} pages (${human(cols * PAGE)}) per row`;
}

/** Where frame {@code i} is drawn on the canvas, in CSS pixels; null when it is folded away. */
function cellOf(i) {
  for (const b of layout.blocks) {
    const k = i - b.seg.first;
    const r = Math.floor(k / layout.cols);
    if (k >= 0 && k < b.seg.count && r >= b.row0 && r < b.row0 + b.rows) {
      return { x: AXIS + (k % layout.cols) * layout.zoom, y: b.y + (r - b.row0) * layout.zoom, w: layout.zoom };
    }
  }
  return null;
}

function frameAtPoint(x, y) {
  if (x < AXIS) return -1;
  const col = Math.floor((x - AXIS) / layout.zoom);
  if (col >= layout.cols) return -1;
  for (const b of layout.blocks) {
    if (y < b.y || y >= b.y + b.rows * layout.zoom) continue;
    const k = (b.row0 + Math.floor((y - b.y) / layout.zoom)) * layout.cols + col;
    return k < b.seg.count ? b.seg.first + k : -1;
  }
  return -1;
}

function showFrameTip(ev) {
  const tip = $('tooltip');
  const r = ev.target.getBoundingClientRect();
  const i = frameAtPoint(ev.clientX - r.left, ev.clientY - r.top);
  if (i < 0) { tip.hidden = true; return; }
  tip.replaceChildren(...frameDescription(i));
  tip.hidden = false;
  const x = Math.min(window.innerWidth - tip.offsetWidth - 8, ev.clientX + 14);
  const y = Math.min(window.innerHeight - tip.offsetHeight - 8, ev.clientY + 14);
  tip.style.left = x + 'px';
  tip.style.top = y + 'px';
}

/** A frame in words: address, owner, block and order, who maps it, which anon holds it. */
function frameDescription(i) {
  const f = frames(current);
  const pa = f.addr[i];
  const k = kindOf(f.flags[i]);
  const lines = [];
  lines.push(el('div', {}, el('b', { text: hex(pa) }), ` frame ${i}: ${k.letter && k.letter !== '.' ? k.letter + ', ' : ''}${k.text}`));
  const b = blockOf(f, i);
  if (b) {
    lines.push(el('div', { text: `${f.flags[b.head] & FREE ? 'free' : 'allocated'} block ${hex(f.addr[b.head])}–${hex(f.addr[b.head] + Math.max(b.bytes, PAGE))}, order ${b.order} (${human(b.bytes)})` }));
  } else {
    lines.push(el('div', { text: 'not the allocator\'s: taken before it started (loader, kernel image, firmware, page_t array)' }));
  }
  const users = reverseMap(current).get(pa) || [];
  for (const u of users.slice(0, 6)) {
    const e = u.entry;
    lines.push(el('div', { class: 'mono', text: `mapped by ${u.map} at ${hex(u.va)} (${u.attr & M.attrWrite ? 'writable' : 'read-only'}), entry ${rangeText(e)} ${protLetters(e.prot)} ${e.object}` }));
  }
  if (users.length > 6) lines.push(el('div', { text: `… and ${users.length - 6} more mappings` }));
  if (!users.length && !(f.flags[i] & FREE)) lines.push(el('div', { class: 'muted', text: 'no address space maps it' }));
  const anon = anonsByFrame(current).get(pa);
  if (anon) lines.push(el('div', { text: `anon in slot ${anon.slot} of amap ${hex(anon.amap.kaddr)}, ${plural(anon.refs, 'reference')}` }));
  if (frameChanges(current).set.has(i)) lines.push(el('div', { text: '↑ changed in this step' }));
  return lines;
}

// ---- address spaces: entries as rows, gaps between them as rows too ------------------------------

const STRIP_MAX = 64;
const mapOpen = new Map();

function renderMaps() {
  const box = $('maps');
  const step = D.steps[current];
  const prev = current > 0 ? D.steps[current - 1] : null;
  const changes = entryChanges(current);
  const kids = [el('p', { class: 'help', text: 'Each row is one map entry; the rows between them are the unmapped gaps, whatever their size. The cells are the entry\'s pages: '
    + 'green resident and writable, blue resident and mapped read-only (a write faults: refused, or just made writable), orange resident but a write would copy it first (copy-on-write pending), white not resident yet.' })];
  for (const m of step.maps) {
    const resident = m.entries.reduce((n, e) => n + pagesOf(e).length / 3, 0);
    const d = el('details', { class: 'mapbox', 'data-map': m.name });
    // Each map stays open or closed as the reader left it; the kernel's starts closed.
    d.open = mapOpen.has(m.name) ? mapOpen.get(m.name) : m.name !== 'kernel';
    d.addEventListener('toggle', () => mapOpen.set(m.name, d.open));
    const title = m.name === 'kernel' ? 'kernel map' : `${m.name} (pid ${m.pid})`;
    d.append(el('summary', {}, title, el('span', { class: 'sub', text: `${hex(m.start)}–${hex(m.stop)}, ${plural(m.entries.length, 'entry')}, ${plural(resident, 'resident page')}${m.waiting ? ', waiting for its vforked child' : ''}${m.borrowedFrom ? `, runs in ${m.borrowedFrom}'s address space until it exits (vfork)` : ''}` })));
    const oldMap = prev ? prev.maps.find(x => x.name === m.name) : null;
    const table = el('table', { class: 'entries' });
    table.append(el('tr', {}, ...['range', 'size', 'prot', 'kind', 'object', 'copy-on-write', 'resident', 'pages'].map(h => el('th', { text: h }))));
    let last = m.start;
    for (const e of m.entries) {
      if (e.start > last) table.append(gapRow(last, e.start));
      table.append(entryRow(m, e, oldMap, changes));
      last = e.end;
    }
    if (m.stop > last && m.entries.length) table.append(gapRow(last, m.stop));
    if (!m.entries.length) table.append(el('tr', { class: 'gap' }, el('td', { colspan: '8', text: 'no entries: nothing mapped yet' })));
    d.append(table);
    kids.push(d);
  }
  box.replaceChildren(...kids);
}

function gapRow(from, to) {
  return el('tr', { class: 'gap' }, el('td', { colspan: '8', text: `⋯ ${human(to - from)} unmapped (${hex(from)}–${hex(to)}) ⋯` }));
}

function entryRow(m, e, oldMap, changes) {
  const pages = Math.round((e.end - e.start) / PAGE);
  const resident = pagesOf(e).length / 3;
  const W = M.attrWrite;
  const anons = anonsByFrame(current);
  // A private page mapped read-only in a writable entry is copied by the next write when it is not
  // this entry's alone: the entry still needs a copy, the page is the object's, or its anon is shared.
  const pending = (pa, attr) => !e.shared && (e.prot & PROT_WRITE) !== 0 && !(attr & W)
      && ((e.flags & NEEDSCOPY) !== 0 || !anons.has(pa) || anons.get(pa).refs > 1);
  let cow = 0;
  const attrAt = new Map();
  for (let k = 0; k < pagesOf(e).length; k += 3) {
    attrAt.set(pagesOf(e)[k], [pagesOf(e)[k + 1], pagesOf(e)[k + 2]]);
    if (pending(pagesOf(e)[k + 1], pagesOf(e)[k + 2])) cow++;
  }
  const oldEntry = oldMap ? oldMap.entries.find(o => o.start === e.start && o.end === e.end) : null;
  const oldPages = new Map();
  if (oldEntry) for (let k = 0; k < pagesOf(oldEntry).length; k += 3) oldPages.set(pagesOf(oldEntry)[k], pagesOf(oldEntry)[k + 1]);
  const change = changes.find(c => c.map === m.name && c.range && c.range.start === e.start && c.range.end === e.end);
  const cls = !oldMap ? '' : change ? (change.what === 'changed' ? 'changed' : 'added') : '';
  const tags = el('td', {});
  const needscopy = (e.flags & NEEDSCOPY) !== 0;
  if (needscopy) tags.append(el('span', { class: 'tag cow', title: 'MAP_NEEDSCOPY: the first write gives this entry its own amap', text: 'needs copy' }));
  if (cow) tags.append(el('span', { class: 'tag cow', title: 'resident pages mapped read-only in a writable private entry and not its own yet: a write faults and copies the page', text: cow + ' pending' }));
  if (!needscopy && !cow) tags.append(el('span', { class: 'muted', text: '—' }));
  const strip = el('span', { class: 'strip' });
  const cells = Math.min(pages, STRIP_MAX);
  const per = Math.ceil(pages / cells);
  for (let c = 0; c < cells; c++) {
    let state = '';
    let fresh = false;
    let mapped = 0;
    for (let p = c * per; p < Math.min(pages, (c + 1) * per); p++) {
      const va = e.start + p * PAGE;
      const a = attrAt.get(va);
      if (!a) continue;
      mapped++;
      const s = (a[1] & W) ? 'res' : pending(a[0], a[1]) ? 'cow' : 'ro';
      state = state === 'cow' || s === 'cow' ? 'cow' : s;
      if (oldMap && oldPages.get(va) !== a[0]) fresh = true;
    }
    const first = e.start + c * per * PAGE;
    const a = per === 1 ? attrAt.get(first) : null;
    const what = { res: 'mapped writable', ro: 'mapped read-only', cow: 'mapped read-only, a write copies it first' }[state];
    const cell = el('i', { class: (state + (fresh ? ' new' : '') + (a && a[0] === selectedFrame ? ' picked' : '')).trim(),
      title: per === 1 ? `${hex(first)}: ${a ? `frame ${hex(a[0])}, ${what} (click to find it in physical memory)` : 'not resident'}`
        : `${hex(first)} +${per} pages: ${mapped} resident` });
    if (a) cell.addEventListener('click', () => pickFrame(a[0]));
    strip.append(cell);
  }
  if (pages > cells) strip.append(el('span', { class: 'muted', text: ` ${per} pages per cell` }));
  const kind = e.kind === 'ANONYMOUS' ? 'anonymous' : e.kind === 'MEMORY' ? 'physical memory' : 'object';
  return el('tr', { class: cls, 'data-start': String(e.start), 'data-resident': String(resident) },
    el('td', { class: 'mono', text: rangeText(e) }),
    el('td', { text: human(e.end - e.start) }),
    el('td', { class: 'mono prot', text: protLetters(e.prot) + (e.protOrig !== e.prot ? ` (max ${protLetters(e.protOrig)})` : '') }),
    el('td', {}, el('span', { class: 'tag ' + (e.shared ? 'shared' : 'private'), text: e.shared ? 'shared' : 'private' }), ' ' + kind),
    el('td', { class: 'mono', text: e.object + (e.offs >= 0 && e.kind !== 'ANONYMOUS' ? ' +' + hex(e.offs, 1) : '') + (e.anonBytes >= 0 ? `, amap ${human(e.anonBytes)}` : '') }),
    tags,
    el('td', { class: 'resident', text: `${resident} / ${pages}`, title: e.truncated ? 'only the first pages of this map were looked at' : '' }),
    el('td', {}, strip));
}

/** Marks a frame in physical memory (and its page in every strip) and brings it into view. */
let selectedFrame = null;
function pickFrame(pa) {
  selectedFrame = selectedFrame === pa ? null : pa;
  renderPageMap();
  renderMaps();
  const i = frames(current).byAddr.get(pa);
  const c = selectedFrame === null || i === undefined ? null : cellOf(i);
  if (c) {
    const host = $('pagemap');
    host.scrollTop = Math.max(0, c.y - host.clientHeight / 2);
    $('physical').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }
}

// ---- walk, buddy, kmalloc, objects -------------------------------------------------------------

function renderWalk() {
  const box = $('walkbody');
  const w = D.steps[current].walk;
  if (!w) {
    box.replaceChildren(el('p', { class: 'muted', text: 'No address touched yet: a load, store, fill or check shows its walk here, and every later step walks it again.' }));
    return;
  }
  const prev = current > 0 ? D.steps[current - 1].walk : null;
  const same = prev && prev.process === w.process && prev.va === w.va;
  const pre = el('pre');
  w.lines.forEach((line, i) => {
    const span = el('span', { text: line + '\n' });
    if (same && prev.lines[i] !== line) span.className = 'changed';
    pre.append(span);
  });
  box.replaceChildren(el('div', { class: 'walk' },
    el('p', { class: 'help', text: `${w.process}'s ${hex(w.va)}, as the ${M.hasMmu ? 'MMU walks it (each level: the entry, its address and its bits)' : 'MPU judges it (no translation: the address is physical)'}; lines that changed since the previous step are marked.` }),
    pre));
}

function renderBuddy() {
  const box = $('buddybody');
  const orders = new Set();
  let max = 1;
  for (const s of D.steps) for (const [o, n] of s.buddy) { orders.add(o); max = Math.max(max, n); }
  const now = new Map(D.steps[current].buddy.map(([o, n]) => [o, n]));
  const before = current > 0 ? new Map(D.steps[current - 1].buddy.map(([o, n]) => [o, n])) : now;
  // The no-MMU queue allocator keeps single pages (its orders are below a page): one queue, not buddy lists.
  const pageShift = Math.log2(PAGE);
  if (orders.size && [...orders].every(o => o < pageShift)) {
    const free = D.steps[current].buddy.reduce((n, [, c]) => n + c, 0);
    const was = current > 0 ? D.steps[current - 1].buddy.reduce((n, [, c]) => n + c, 0) : free;
    box.replaceChildren(el('div', { class: 'help', text: 'This target\'s page allocator keeps free pages in one queue, not in buddy lists: a request takes the page at its head.' }),
      el('div', { class: 'bars' }, el('div', { class: 'row' }, el('span', { class: 'mono', text: `free pages (${human(PAGE)})` }),
        el('div', { class: 'bar' }, el('div', { class: 'fill', style: `width:${(100 * free / Math.max(1, frames(current).n)).toFixed(1)}%` })),
        el('span', { text: `${free}${free !== was ? ' (' + (free > was ? '+' : '') + (free - was) + ')' : ''}` }))));
    return;
  }
  const rows = [...orders].sort((a, b) => a - b).map(o => {
    const n = now.get(o) || 0, d = n - (before.get(o) || 0);
    return el('div', { class: 'row', 'data-order': String(o) },
      el('span', { class: 'mono', text: `order ${o} (${human(2 ** o)})` }),
      el('div', { class: 'bar' }, el('div', { class: 'fill', style: `width:${(100 * n / max).toFixed(1)}%` })),
      el('span', {}, String(n), ' ', el('span', { class: 'delta ' + (d > 0 ? 'plus' : 'minus'), text: d === 0 ? '' : (d > 0 ? '+' : '') + d })));
  });
  box.replaceChildren(el('div', { class: 'help', text: 'Free blocks on each list (sizes[order], the order being log2 of the block size in bytes). An allocation takes the smallest block that fits and halves it; a free merges buddies back.' }),
    el('div', { class: 'bars' }, ...rows));
}

function renderKmalloc() {
  const box = $('kmallocbody');
  const k = D.steps[current].kmalloc;
  const rows = k.zones.map(z => el('div', { class: 'row' },
    el('span', { class: 'mono', text: `${hex(z.vaddr)} ${z.blocksz} B` }),
    el('div', { class: 'bar', title: `${z.used} of ${z.blocks} blocks in use${z.first ? ' (the first zone, never released)' : ''}` },
      el('div', { class: 'fill used', style: `width:${(100 * z.used / Math.max(1, z.blocks)).toFixed(1)}%` })),
    el('span', { text: `${z.used}/${z.blocks}` })));
  box.replaceChildren(el('div', { class: 'help', text: `${human(k.allocated)} allocated. One bar per zone: its blocks in use out of its blocks (one size class per zone).` }),
    el('div', { class: 'bars' }, ...rows));
}

function renderObjects() {
  const box = $('objectsbody');
  const s = D.steps[current];
  const objs = el('table', { class: 'plain' }, el('tr', {}, ...['oid', 'name', 'size', 'refs', 'resident pages'].map(h => el('th', { text: h }))));
  for (const o of s.objects) objs.append(el('tr', {}, el('td', { class: 'mono', text: o.oid }), el('td', { text: o.name || '—' }),
    el('td', { text: human(o.size) }), el('td', { text: String(o.refs) }), el('td', { text: `${o.resident} / ${o.pages}` })));
  const amaps = el('table', { class: 'plain' }, el('tr', {}, ...['amap', 'slots', 'refs', 'anons (slot → page, references)'].map(h => el('th', { text: h }))));
  for (const a of s.amaps) {
    const anons = [];
    for (let k = 0; k < a.anons.length; k += 3) anons.push(`${a.anons[k]} → ${hex(a.anons[k + 2])} ×${a.anons[k + 1]}`);
    amaps.append(el('tr', {}, el('td', { class: 'mono', text: hex(a.kaddr) }), el('td', { text: String(a.slots) }),
      el('td', { text: String(a.refs) }), el('td', { class: 'mono', text: anons.join(', ') || '—' })));
  }
  box.replaceChildren(el('h3', { text: 'memory objects' }), s.objects.length ? objs : el('p', { class: 'muted', text: 'none' }),
    el('h3', { text: 'amaps (copy-on-write state of private entries)' }), s.amaps.length ? amaps : el('p', { class: 'muted', text: 'none' }),
    el('p', { class: 'help', text: 'An anon with more than one reference is a page shared by a parent and its child until one of them writes.' }));
}

// ---- start ---------------------------------------------------------------------------------------

function start() {
  if (D.bootError || !D.steps || !D.steps.length) {
    $('statement').replaceChildren(el('div', { class: 'banner error', text: 'The machine did not boot: ' + (D.bootError || 'no steps recorded') }));
    return;
  }
  $('machine').textContent = `${M.arch}: ${M.description} · ${human(M.ram)} of RAM · pages of ${human(PAGE)} · ${M.hasMmu ? 'MMU' : 'no MMU'}`;
  renderLegend();
  renderZoomBar();
  zoom = fittingZoom();
  $('first').addEventListener('click', () => go(0));
  $('prev').addEventListener('click', () => go(current - 1));
  $('next').addEventListener('click', () => go(current + 1));
  $('last').addEventListener('click', () => go(D.steps.length - 1));
  document.addEventListener('keydown', ev => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown' && ev.shiftKey) { go(current + 1); ev.preventDefault(); }
    else if (ev.key === 'ArrowLeft') { go(current - 1); ev.preventDefault(); }
    else if (ev.key === 'Home') { go(0); ev.preventDefault(); }
    else if (ev.key === 'End') { go(D.steps.length - 1); ev.preventDefault(); }
    else if (ev.key === '+' || ev.key === '=') setZoom(+1);
    else if (ev.key === '-') setZoom(-1);
  });
  window.addEventListener('hashchange', () => go(stepFromHash()));
  let resizeTimer;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(renderPageMap, 100); });
  go(stepFromHash());
}

function stepFromHash() {
  const m = /step=(\d+)/.exec(location.hash);
  return m ? +m[1] : 0;
}

// For tests and the curious: the explorer's state, read-only.
window.pvmExplorer = {
  step: () => current,
  steps: () => D.steps.length,
  go,
  changedFrames: () => [...frameChanges(current).set].map(i => frames(current).addr[i]),
  picked: () => selectedFrame,
  allocatedFrames: () => frameChanges(current).allocated.map(i => frames(current).addr[i]),
  cellOf: pa => { const i = frames(current).byAddr.get(pa); return i === undefined ? null : cellOf(i); },
  describeFrame: pa => { const i = frames(current).byAddr.get(pa); return i === undefined ? null : frameDescription(i).map(n => n.textContent).join('\n'); },
};

start();
