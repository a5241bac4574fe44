// npm run lint (after eslint) — no import cycles. Two checks over the product code (app, components,
// lib, db, server.ts; not tests, scripts or bench):
//   1. between layers: a folder that imports another (type-only imports count: they are a dependency
//      too) must not be imported back by it, directly or round a ring of layers;
//   2. between files: no runtime import cycle anywhere (type-only imports are erased, so skipped).
// The boundaries each layer keeps (which layer may import which) are eslint.config.mjs's rules; this
// script catches the rings those rules do not name. See docs/architecture.md.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SOURCES = ['app', 'components', 'lib', 'db', 'server.ts'];
const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

/** The layer a file belongs to: lib/<folder> and db are layers; other top-level folders likewise. */
function layerOf(file) {
  const parts = path.relative(root, file).split(path.sep);
  if (parts.length === 1) return parts[0];
  if (parts[0] === 'components') return 'app'; // the console's shared UI: one layer with its pages
  if (parts[0] === 'lib' && parts.length > 2) return `lib/${parts[1]}`;
  if (parts[0] === 'lib') return parts.join('/'); // a top-level lib module (env.ts, log.ts) is its own
  return parts[0];
}

function sourceFiles(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [full];
  return fs
    .readdirSync(full, { recursive: true })
    .map((f) => path.join(full, f))
    .filter((f) => /\.tsx?$/.test(f) && !/\.(test|spec)\.tsx?$/.test(f) && !f.endsWith('.d.ts'));
}

function resolveImport(from, specifier) {
  let base;
  if (specifier.startsWith('@/')) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith('.')) base = path.resolve(path.dirname(from), specifier);
  else return undefined; // a package
  if (/\.tsx?$/.test(base) && fs.existsSync(base)) return base;
  for (const ext of EXTENSIONS) if (fs.existsSync(base + ext)) return base + ext;
  return undefined; // .mjs, .json, .css: not part of the TypeScript graph
}

/** Every project import of a file, and whether it is type-only. */
function importsOf(file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found = [];
  for (const node of source.statements) {
    if (!(ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) || !node.moduleSpecifier) continue;
    const target = resolveImport(file, node.moduleSpecifier.text);
    if (!target) continue;
    found.push({ target, typeOnly: isTypeOnly(node) });
  }
  return found;
}

function isTypeOnly(node) {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    return !!node.exportClause && ts.isNamedExports(node.exportClause) && node.exportClause.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** Tarjan's strongly connected components: every ring in the graph is inside one of more than one node. */
function rings(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  const visit = (v) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indices.get(w)));
    }
    if (low.get(v) === indices.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return out;
}

const files = SOURCES.flatMap(sourceFiles);
const fileGraph = new Map();
const layerGraph = new Map();
const witness = new Map(); // "a -> b" layer edge: one file import that makes it
for (const file of files) {
  const runtime = new Set();
  for (const { target, typeOnly } of importsOf(file)) {
    if (!typeOnly) runtime.add(target);
    const [a, b] = [layerOf(file), layerOf(target)];
    if (a === b) continue;
    if (!layerGraph.has(a)) layerGraph.set(a, new Set());
    layerGraph.get(a).add(b);
    if (!witness.has(`${a} -> ${b}`)) witness.set(`${a} -> ${b}`, `${path.relative(root, file)} imports ${path.relative(root, target)}`);
  }
  fileGraph.set(file, runtime);
}

const problems = [];
for (const ring of rings(layerGraph)) {
  const edges = [...witness].filter(([edge]) => ring.some((a) => ring.some((b) => edge === `${a} -> ${b}`)));
  problems.push(`layers import each other: ${ring.join(', ')}\n${edges.map(([edge, why]) => `    ${edge}: ${why}`).join('\n')}`);
}
for (const ring of rings(fileGraph)) {
  problems.push(`files import each other at run time: ${ring.map((f) => path.relative(root, f)).join(', ')}`);
}
if (problems.length > 0) {
  process.stderr.write(`check-layers: ${problems.length} import cycle(s)\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
process.stdout.write(`check-layers: no import cycles (${files.length} files, ${layerGraph.size} layers)\n`);
