// A self-contained query page for browsers: no CDN, so it works on closed networks.
export const EXPLORER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>JIPP hub graph API</title>
<style>
body{font:14px system-ui,sans-serif;margin:0;display:grid;grid-template-columns:1fr 1fr;height:100vh}
section{display:flex;flex-direction:column;padding:8px;gap:6px;min-height:0}
textarea,pre{flex:1;font:13px ui-monospace,monospace;border:1px solid #ccc;padding:6px;margin:0;overflow:auto}
#vars{flex:0 0 90px}header{grid-column:1/3;padding:6px 8px;background:#0b3d62;color:#fff}
button{align-self:flex-start;padding:4px 14px}
</style></head><body>
<header>JIPP hub graph API &mdash; POST /graphql &middot; send <code>Authorization: Bearer &lt;key&gt;</code> for partner access</header>
<section><textarea id="query" spellcheck="false">{
  provinces(filter: { isHub: true }) {
    code
    name
    hub { cohortYear stage isPilot instrument { citation } }
    regencyCount
  }
}</textarea><textarea id="vars" spellcheck="false">{}</textarea>
<button id="run">Run (Ctrl+Enter)</button></section>
<section><pre id="out"></pre></section>
<script>
const q=document.getElementById('query'),v=document.getElementById('vars'),o=document.getElementById('out');
async function run(){o.textContent='...';let variables;try{variables=JSON.parse(v.value||'{}')}catch(e){o.textContent='Variables are not JSON: '+e.message;return}
const r=await fetch(location.pathname,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({query:q.value,variables})});
o.textContent='HTTP '+r.status+'\\n'+JSON.stringify(await r.json(),null,2)}
document.getElementById('run').onclick=run;
document.addEventListener('keydown',e=>{if(e.ctrlKey&&e.key==='Enter')run()});
</script></body></html>`;
