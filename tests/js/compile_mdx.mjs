// Reads a JSON array of MDX documents on stdin; prints a JSON array of
// {ok, error} (compile with @mdx-js/mdx, the compiler @astrojs/mdx uses).
import { compile } from '@mdx-js/mdx';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const docs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const out = [];
for (const doc of docs) {
  try {
    await compile(doc, { format: 'mdx' });
    out.push({ ok: true, error: '' });
  } catch (e) {
    out.push({ ok: false, error: String(e && e.message || e) });
  }
}
process.stdout.write(JSON.stringify(out));
