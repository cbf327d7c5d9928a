// Address spaces: every entry as a row, the gaps between entries as rows too.
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
    // SerenityOS's address-space figures (show stats), in KiB.
    if (m.stats) d.append(el('p', { class: 'help stats', text: Object.entries(m.stats).map(([k, v]) => `${k} ${v / 1024} KiB`).join(' · ') }));
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
