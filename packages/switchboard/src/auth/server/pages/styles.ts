/** The stylesheet of the sign-in, consent and error pages: inline (the CSP loads nothing from elsewhere). */
export const STYLES = `
:root{--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f1f5f9;--card:#fff;--accent:#4f46e5;--accent-ink:#fff;
--accent-soft:#eef2ff;--danger:#b91c1c;--danger-soft:#fef2f2;--warn:#92400e;--warn-soft:#fffbeb;--radius:14px}
@media (prefers-color-scheme:dark){:root{--ink:#e2e8f0;--muted:#94a3b8;--line:#334155;--bg:#0b1120;--card:#111827;
--accent:#818cf8;--accent-ink:#0b1120;--accent-soft:#1e1b4b;--danger:#fca5a5;--danger-soft:#3f1d1d;--warn:#fcd34d;--warn-soft:#3a2a0a}}
*{box-sizing:border-box}
html,body{margin:0;min-height:100%}
body{background:radial-gradient(1200px 600px at 50% -200px,var(--accent-soft),transparent),var(--bg);color:var(--ink);
font:15px/1.5 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
-webkit-font-smoothing:antialiased}
.shell{max-width:420px;margin:0 auto;padding:56px 20px 32px}
.brand{display:flex;align-items:center;gap:10px;justify-content:center;font-weight:600;letter-spacing:.01em;margin-bottom:22px}
.mark{display:inline-grid;place-items:center;width:30px;height:30px;border-radius:9px;background:var(--accent);
color:var(--accent-ink);font-weight:700;font-size:15px;box-shadow:0 4px 14px rgba(79,70,229,.35)}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:28px 28px 24px;
box-shadow:0 1px 2px rgba(15,23,42,.04),0 12px 32px rgba(15,23,42,.08)}
h1{font-size:21px;line-height:1.3;margin:0 0 6px;font-weight:650;letter-spacing:-.01em}
.lead{color:var(--muted);margin:0 0 22px}
.lead strong,.who strong{color:var(--ink)}
label{display:block;font-size:13px;font-weight:600;margin:0 0 6px}
input[type=text],input[type=password]{width:100%;height:42px;padding:0 12px;border:1px solid var(--line);border-radius:10px;
background:transparent;color:var(--ink);font:inherit;margin-bottom:16px;transition:border-color .15s,box-shadow .15s}
input:focus{outline:none;border-color:var(--accent);box-shadow:0 0 0 3px var(--accent-soft)}
.actions{display:flex;gap:10px;margin-top:8px}
button{flex:1;height:42px;border-radius:10px;font:inherit;font-weight:600;cursor:pointer;border:1px solid transparent}
.primary{background:var(--accent);color:var(--accent-ink)}
.primary:hover{filter:brightness(1.08)}
button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.secondary{background:transparent;color:var(--ink);border-color:var(--line)}
.secondary:hover{background:var(--bg)}
.notice{border-radius:10px;padding:10px 12px;font-size:13.5px;margin:0 0 18px}
.notice.error{background:var(--danger-soft);color:var(--danger)}
.notice.warn{background:var(--warn-soft);color:var(--warn)}
.app{display:flex;align-items:center;gap:12px;margin-bottom:18px}
.app .avatar{width:44px;height:44px;border-radius:12px;background:var(--accent-soft);color:var(--accent);display:grid;
place-items:center;font-weight:700;font-size:18px;flex:none}
.app .meta{min-width:0}
.app .name{font-weight:650;font-size:16px;overflow-wrap:anywhere}
.app .id{color:var(--muted);font-size:12.5px;overflow-wrap:anywhere}
.scopes{list-style:none;margin:0 0 18px;padding:0;border:1px solid var(--line);border-radius:12px}
.scopes li{display:flex;gap:10px;padding:11px 14px;border-top:1px solid var(--line)}
.scopes li:first-child{border-top:0}
.scopes .tick{color:var(--accent);font-weight:700}
.scopes code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;color:var(--muted)}
.facts{margin:0 0 20px;font-size:13.5px;color:var(--muted)}
.facts div{display:flex;justify-content:space-between;gap:12px;padding:4px 0}
.facts dd{margin:0;color:var(--ink);font-weight:500;text-align:right;overflow-wrap:anywhere}
.facts dt{flex:none}
.who{font-size:13px;color:var(--muted);margin:0 0 14px}
.legal{text-align:center;color:var(--muted);font-size:12px;margin-top:18px}
`;
