// What changed between two steps: pages, map entries, translations.
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
