// The smaller pictures: the walk, free blocks per order, kmalloc zones, objects and amaps.
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
