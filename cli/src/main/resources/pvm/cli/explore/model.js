// The explorer's data: formatting, page kinds, frames and who maps them (pvm's replay, read-only).
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
