// Validates an AsyncAPI document with the official @asyncapi/parser (the library the AsyncAPI CLI's
// "validate" command runs): AsyncAPI schema, Spectral ruleset, and every $ref resolved.
// Exits 1 when the document has an error; warnings are printed only.
import { createRequire } from 'node:module';
import path from 'node:path';

const [file, prefix] = process.argv.slice(2);
const require = createRequire(path.resolve(prefix, 'package.json'));
const { Parser, fromFile } = require('@asyncapi/parser');

const { document, diagnostics } = await fromFile(new Parser(), file).parse();
const errors = diagnostics.filter((d) => d.severity === 0);
for (const d of diagnostics) {
  const level = ['error', 'warning', 'info', 'hint'][d.severity] ?? 'note';
  if (d.severity <= 1) {
    console.log(`[asyncapi] ${level} ${d.code} at /${d.path.join('/')}: ${d.message}`);
  }
}
if (!document || errors.length > 0) {
  console.error(`[asyncapi] ${file} is NOT a valid AsyncAPI document (${errors.length} error(s))`);
  process.exit(1);
}
console.log(`[asyncapi] ${file} is a valid AsyncAPI ${document.version()} document`);
