/** The console's stylesheet, served at `/assets/console.css`. */
export const STYLESHEET = `
:root {
  --bg: #f6f7f9; --card: #fff; --text: #1b2330; --muted: #667085; --line: #e4e7ec; --head: #111827;
  --info: #1d4ed8; --info-bg: #e8efff; --ok: #067647; --ok-bg: #e3f6ec; --warn: #9a5b00; --warn-bg: #fff3d6;
  --danger: #b42318; --danger-bg: #fdeceb; --accent: #5b21b6; --accent-bg: #efe9ff; --gray-bg: #eef0f3;
  --radius: 8px; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--info); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font-family: var(--mono); font-size: 0.92em; }
time { white-space: nowrap; }
h1 { font-size: 22px; margin: 0 0 16px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
h2 { font-size: 15px; margin: 0; }
header.top { display: flex; align-items: center; gap: 24px; padding: 0 24px; height: 52px; background: var(--head); color: #fff; }
.brand { color: #fff; font-weight: 700; font-size: 16px; letter-spacing: 0.2px; }
.brand span { color: #9ca3af; font-weight: 400; }
header.top nav { display: flex; gap: 4px; flex: 1; }
header.top nav a { color: #d1d5db; padding: 6px 12px; border-radius: 6px; }
header.top nav a[aria-current="page"], header.top nav a:hover { background: #1f2937; color: #fff; text-decoration: none; }
.who { display: flex; align-items: center; gap: 12px; color: #d1d5db; }
main { max-width: 1320px; margin: 0 auto; padding: 24px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 16px 18px; margin-bottom: 16px; }
.card.blocked { border-color: #f3b3ad; box-shadow: inset 4px 0 0 var(--danger); }
.card.narrow { max-width: 420px; margin: 48px auto; }
.card-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-bottom: 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 16px; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 16px; align-items: start; }
@media (max-width: 1000px) { .columns { grid-template-columns: 1fr; } }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.danger-text { color: var(--danger); }
.id { font-family: var(--mono); font-size: 11px; color: var(--muted); }
.empty { padding: 24px; text-align: center; color: var(--muted); background: var(--card); border: 1px dashed var(--line); border-radius: var(--radius); }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; vertical-align: middle; }
.tone-info { background: var(--info-bg); color: var(--info); }
.tone-ok { background: var(--ok-bg); color: var(--ok); }
.tone-warn { background: var(--warn-bg); color: var(--warn); }
.tone-danger { background: var(--danger-bg); color: var(--danger); }
.tone-accent { background: var(--accent-bg); color: var(--accent); }
.tone-muted { background: var(--gray-bg); color: var(--muted); }
.chips { display: inline-flex; flex-wrap: wrap; gap: 4px; }
.chip { background: var(--gray-bg); border-radius: 4px; padding: 0 6px; font-size: 12px; white-space: nowrap; }
.class { font-size: 11px; padding: 0 6px; border-radius: 4px; font-weight: 600; }
.class-claimed { background: var(--info-bg); color: var(--info); }
.class-external { background: var(--warn-bg); color: var(--warn); }
dl.facts { display: grid; grid-template-columns: 120px 1fr; gap: 6px 12px; margin: 0 0 12px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
dl.facts.inline { grid-template-columns: auto 1fr; }
.plan-head { margin-bottom: 16px; }
table.grid { width: 100%; border-collapse: collapse; }
table.grid th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); padding: 6px 8px; }
table.grid td { border-bottom: 1px solid var(--line); padding: 8px; vertical-align: top; }
table.grid tr:last-child td { border-bottom: 0; }
table.plans { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
table.guards tr.fail td { background: var(--danger-bg); color: var(--danger); font-weight: 600; }
.ops .sym-col { width: 24px; text-align: center; }
.ops .kind { font-family: var(--mono); font-size: 12px; white-space: nowrap; }
.ops .subject { font-weight: 600; min-width: 210px; overflow-wrap: anywhere; }
.ops .why { color: #344054; }
.ops .result { width: 130px; }
.sym { font-family: var(--mono); font-weight: 700; font-size: 15px; }
.sym-add { color: var(--ok); } .sym-change { color: var(--warn); } .sym-remove { color: var(--danger); }
.sym-invite { color: #0e7490; } .sym-link { color: var(--info); }
ul.changes, ul.members { margin: 6px 0 0; padding-left: 16px; font-size: 13px; }
del { background: var(--danger-bg); color: var(--danger); text-decoration: line-through; padding: 0 3px; border-radius: 3px; }
ins { background: var(--ok-bg); color: var(--ok); text-decoration: none; padding: 0 3px; border-radius: 3px; }
form.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; margin-bottom: 12px; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
form.filters .grow { flex: 1; min-width: 200px; }
input, select, textarea { font: inherit; color: inherit; border: 1px solid #cfd4dc; border-radius: 6px; padding: 6px 8px; background: #fff; }
textarea { width: 100%; resize: vertical; }
input:focus, select:focus, textarea:focus, button:focus-visible { outline: 2px solid #93b4ff; outline-offset: 1px; }
button { font: inherit; font-weight: 600; border: 1px solid #cfd4dc; background: #fff; border-radius: 6px; padding: 6px 14px; cursor: pointer; }
button.primary { background: var(--info); border-color: var(--info); color: #fff; }
button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
button.secondary { background: #fff; color: var(--danger); border-color: #f3b3ad; }
button.link { background: none; border: 0; color: #d1d5db; padding: 0; font-weight: 400; }
button:disabled { opacity: 0.6; cursor: default; }
form.stack { display: flex; flex-direction: column; gap: 10px; margin-bottom: 14px; }
form.stack label { display: flex; flex-direction: column; gap: 4px; }
form.inline { display: inline; }
label.check { display: flex; flex-direction: row; align-items: flex-start; gap: 6px; }
label.override { background: var(--danger-bg); color: var(--danger); padding: 8px; border-radius: 6px; font-weight: 600; }
form.resync { display: flex; align-items: center; gap: 14px; border-top: 1px solid var(--line); padding-top: 12px; }
form.provision { display: flex; flex-wrap: wrap; align-items: center; gap: 14px; border-top: 1px solid var(--line); padding-top: 12px; margin-top: 12px; }
form.provision pre.steps { flex-basis: 100%; overflow-x: auto; font-size: 12px; margin: 0; }
.status { color: var(--muted); }
.status.error { color: var(--danger); }
.alert { padding: 8px 12px; border-radius: 6px; margin: 0 0 12px; }
.alert.danger { background: var(--danger-bg); color: var(--danger); }
.alert.warn { background: var(--warn-bg); color: var(--warn); }
blockquote { margin: 4px 0 12px; padding: 4px 10px; border-left: 3px solid var(--line); color: #344054; }
details summary { cursor: pointer; }
.warning-group { border-top: 1px solid var(--line); padding: 8px 0; }
.warning-group:first-of-type { border-top: 0; }
.warning-group .count { background: var(--warn-bg); color: var(--warn); border-radius: 999px; padding: 0 8px; font-size: 12px; font-weight: 600; }
.warning-group ul { margin: 6px 0 0; padding-left: 18px; }
progress { width: 100%; height: 10px; accent-color: var(--ok); }
ul.counts { display: flex; gap: 14px; list-style: none; padding: 0; margin: 8px 0 0; }
.count-failed b { color: var(--danger); } .count-conflict b { color: var(--warn); } .count-applied b { color: var(--ok); }
ol.timeline { list-style: none; margin: 0; padding: 0; }
ol.timeline li { padding: 6px 0 6px 14px; border-left: 2px solid var(--line); }
.actions ul { margin: 6px 0 12px; padding-left: 18px; }
nav.pager { display: flex; gap: 16px; justify-content: center; padding-top: 12px; }
`;
