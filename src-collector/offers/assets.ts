import { createHash } from 'node:crypto';

/**
 * The landing page's only stylesheet and script, served from /l/assets/ under names that carry
 * their hash (immutable caching). The CSP allows nothing inline, so these are all there is.
 */
const CSS = `
:root{--ink:#1d232b;--muted:#4f5b67;--line:#d5dbe1;--bg:#f5f6f8;--card:#fff;--accent:#0b5cad;--accent-ink:#fff;--ok:#1d6b3a;--warn:#8a4b00}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header.top{background:#fff;border-bottom:1px solid var(--line)}
header.top .in{max-width:72rem;margin:0 auto;padding:.75rem 1rem;display:flex;justify-content:space-between;gap:1rem;align-items:center;flex-wrap:wrap}
.brand{font-weight:700;font-size:1.05rem}
.greet{color:var(--muted);font-size:.95rem;margin:0}
.wrap{max-width:72rem;margin:0 auto;padding:1rem;display:grid;gap:1.25rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:900px){.wrap{grid-template-columns:minmax(0,1fr) 20rem;align-items:start}.side{position:sticky;top:1rem}}
h1{font-size:1.6rem;line-height:1.25;margin:.25rem 0 .25rem;overflow-wrap:anywhere}
h2{font-size:1.2rem;margin:0 0 .75rem}
.addr{color:var(--muted);margin:0 0 1rem;overflow-wrap:anywhere}
section.card,aside .card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.1rem;margin:0 0 1.25rem}
.gallery{display:grid;gap:.5rem;grid-template-columns:repeat(2,minmax(0,1fr));margin:0 0 1.25rem;padding:0;list-style:none}
.gallery li:first-child{grid-column:1/-1}
.gallery img{display:block;width:100%;aspect-ratio:4/3;object-fit:cover;border-radius:8px;background:#dfe3e8}
@media (min-width:900px){.gallery{grid-template-columns:repeat(3,minmax(0,1fr))}.gallery li:first-child{grid-column:1/3;grid-row:1/3}.gallery li:first-child img{height:100%}}
.facts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.75rem;margin:0}
@media (min-width:600px){.facts{grid-template-columns:repeat(4,minmax(0,1fr))}}
.facts div{background:var(--bg);border-radius:8px;padding:.6rem .75rem}
.facts dt{font-size:.8rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.facts dd{margin:0;font-weight:650;font-size:1.05rem;overflow-wrap:anywhere}
.desc{white-space:pre-line;overflow-wrap:anywhere;margin:0}
ul.plain{list-style:none;margin:0;padding:0}
ul.plain li{padding:.55rem 0;border-top:1px solid var(--line);overflow-wrap:anywhere}
ul.plain li:first-child{border-top:0}
.meta{color:var(--muted);font-size:.9rem}
.locked{color:var(--muted)}
.btn{display:inline-block;font:inherit;font-weight:600;border-radius:8px;padding:.55rem 1rem;border:2px solid var(--accent);background:var(--accent);color:var(--accent-ink);text-decoration:none;cursor:pointer;min-height:44px}
.btn.secondary{background:#fff;color:var(--accent)}
.btn[aria-pressed="true"]{background:var(--ok);border-color:var(--ok);color:#fff}
.btn:disabled{opacity:.6;cursor:wait}
.units{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
.unit{border:1px solid var(--line);border-radius:8px;padding:.75rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
.unit h3{margin:0;font-size:1.05rem}
.unit p{margin:0;color:var(--muted);font-size:.95rem}
.unit>div{flex:1 1 16rem;min-width:0}
.unit p.unit-title{color:var(--ink);font-weight:600;overflow-wrap:anywhere}
.unit p.unit-teaser{font-size:.9rem;overflow-wrap:anywhere}
.facts.energy dd{font-size:.98rem}
.facts.energy dt{overflow-wrap:anywhere;hyphens:auto}
@media (min-width:600px){.facts.energy{grid-template-columns:repeat(3,minmax(0,1fr))}}
.badge{display:inline-block;font-size:.8rem;font-weight:600;border-radius:999px;padding:.1rem .55rem;border:1px solid currentColor}
.badge.reserved{color:var(--warn)}
.badge.sold{color:#8b1d1d}
.badge.available{color:var(--ok)}
form.legal fieldset{border:0;margin:0;padding:0}
form.legal legend{font-weight:650;margin-bottom:.5rem}
.check{display:flex;gap:.6rem;align-items:flex-start;margin:.6rem 0}
.check input{width:1.3rem;height:1.3rem;margin-top:.15rem;flex:none}
.note{background:#fff8e5;border:1px solid #e8d49a;border-radius:8px;padding:.6rem .8rem}
.ok{background:#eaf6ee;border:1px solid #a9d6b8;border-radius:8px;padding:.6rem .8rem}
.error{background:#fdecec;border:1px solid #e3a3a3;border-radius:8px;padding:.6rem .8rem}
.agent dl{margin:0}
.agent dt{font-size:.8rem;color:var(--muted)}
.agent dd{margin:0 0 .5rem;overflow-wrap:anywhere}
footer.bottom{max-width:72rem;margin:0 auto;padding:1rem 1rem 2rem;color:var(--muted);font-size:.85rem}
.policy{white-space:pre-line;overflow-wrap:anywhere}
.policy h2{font-size:1.1rem;margin:1.2rem 0 .4rem}
.check{flex-wrap:wrap}
.check label{flex:1 1 0;min-width:12rem}
.check .doc-link{flex-basis:100%;padding-left:1.9rem;font-size:.9rem}
form.legal fieldset+fieldset{margin-top:1rem}
.service{background:#f3f6fc;border:1px solid #c9d5ee;border-radius:8px;padding:.2rem .8rem;margin:.6rem 0}
.service h3{font-size:.95rem;margin:.5rem 0 .2rem}
.service p{margin:.2rem 0 .5rem}
ul.confirmed{list-style:none;margin:.6rem 0;padding:0}
ul.confirmed li{border-left:3px solid var(--ok);padding:.2rem .7rem;margin:.5rem 0}
ul.confirmed .when{display:block;font-size:.85rem;color:var(--muted)}
.narrow{max-width:44rem;margin:0 auto;padding:1rem}
`;

const JS = `'use strict';
(function () {
  var status = document.getElementById('like-status');
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('like-form')) return;
    ev.preventDefault();
    var button = form.querySelector('button');
    var input = form.querySelector('input[name="liked"]');
    if (!button || !input) return form.submit();
    button.disabled = true;
    fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { accept: 'application/json' },
      credentials: 'same-origin'
    })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (res) {
        var liked = res.liked === true;
        button.setAttribute('aria-pressed', liked ? 'true' : 'false');
        button.textContent = liked ? button.getAttribute('data-on') : button.getAttribute('data-off');
        input.value = liked ? 'false' : 'true';
        if (status) status.textContent = (liked ? 'Gemerkt: ' : 'Nicht mehr gemerkt: ') + (button.getAttribute('data-unit') || '');
        button.disabled = false;
      })
      .catch(function () {
        button.disabled = false;
        form.submit();
      });
  });
})();
`;

function asset(body: string, ext: 'css' | 'js', type: string) {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { name: `landing.${hash}.${ext}`, body: Buffer.from(body), type };
}

export const STYLESHEET = asset(CSS, 'css', 'text/css; charset=utf-8');
export const SCRIPT = asset(JS, 'js', 'text/javascript; charset=utf-8');
export const ASSETS = new Map([STYLESHEET, SCRIPT].map((a) => [a.name, a]));
