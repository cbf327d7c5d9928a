// Physical memory as a picture: one cell per page, by physical address, holes and folds as bands.
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
