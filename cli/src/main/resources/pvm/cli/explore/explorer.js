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
