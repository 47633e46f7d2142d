/**
 * The shape of the source tree (issue 8): no import cycle in src/, type-only imports included, and
 * every source file small enough to read in one sitting.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const srcRoot = path.resolve(import.meta.dirname, '../../src');
const MAX_LINES = 300;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative module a file imports or re-exports, `import type` included, as file paths. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*['"](\.[^'"]+)['"]/g),
  ].map((match) => match[1]!);
  return specifiers.map((spec) => path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
}

/** The cycles of a graph (Tarjan's strongly connected components of more than one node, or a self-loop). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (node: string) => {
    order.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, order.get(next)!));
    }
    if (low.get(node) !== order.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return found;
}

const files = sourceFiles(srcRoot);
const relative = (file: string) => path.relative(srcRoot, file);

describe('the source tree', () => {
  it('has no import cycle, counting type-only imports', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file).filter((dep) => files.includes(dep))]));
    expect(cycles(graph).map((component) => component.map(relative))).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it(`keeps every source file under ${MAX_LINES} lines`, () => {
    const long = files
      .map((file) => ({ file: relative(file), lines: fs.readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});

describe('exports', () => {
  it('are used outside their module: a value no other file needs is not exported', () => {
    const others = [
      ...files,
      ...sourceFiles(path.resolve(srcRoot, '../tests')),
      ...sourceFiles(path.resolve(srcRoot, '../bench')),
    ];
    const texts = new Map(others.map((file) => [file, fs.readFileSync(file, 'utf8')]));
    const unused: string[] = [];
    for (const file of files) {
      for (const match of texts.get(file)!.matchAll(/^export (?:async )?(?:const|function|class) (\w+)/gm)) {
        const name = new RegExp(`\\b${match[1]}\\b`);
        if (![...texts].some(([other, text]) => other !== file && name.test(text)))
          unused.push(`${relative(file)} ${match[1]}`);
      }
    }
    expect(unused).toEqual([]);
  });
});
