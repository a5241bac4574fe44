// FormData → a plain object for zod, so a form can carry lists and nested groups:
//
//   hours.mon.0.start=09:00  hours.mon.0.end=12:00  hours.mon.1.start=13:30
//     → { hours: { mon: [{ start: '09:00', end: '12:00' }, { start: '13:30' }] } }
//   keyword=客服  keyword=人工      (one name repeated, e.g. checkboxes)
//     → { keyword: ['客服', '人工'] }
//
// The convention (see names.ts for the helper that writes names):
// - Dots separate segments; a whole-number segment (0, 1, … no leading zeros) is a list index.
// - Lists are made dense in index order: rows 0, 2, 5 become [row0, row2, row5]. Pages name rows
//   by their position when they render, so indices arrive dense and error paths match them.
// - A name given more than once yields an array of its values; given once, just the value. A
//   schema that takes a list should accept both (listOf in fields.ts), and an absent list as [].
// - Brackets are not special: `keywords[]` is a field literally named so. Use dots.
// - Next's own `$ACTION_…` fields are skipped.
// A form that does not follow this (a name both a value and a group, a list and an object, an
// empty or reserved segment) is refused with FormShapeError rather than guessed at.
import { isIndexSegment } from './names';

export type FormValue = string | File;
export type FormNode = FormValue | FormNode[] | FormObject;
export interface FormObject {
  [key: string]: FormNode;
}

export class FormShapeError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`form field "${field}" ${reason}`);
    this.name = 'FormShapeError';
  }
}

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

type Branch = { kind: 'list' | 'group'; children: Map<string, Branch | Leaf> };
type Leaf = { kind: 'leaf'; values: FormValue[] };

function childBranch(parent: Branch, segment: string, kind: Branch['kind'], name: string): Branch {
  const existing = parent.children.get(segment);
  if (existing === undefined) {
    const branch: Branch = { kind, children: new Map() };
    parent.children.set(segment, branch);
    return branch;
  }
  if (existing.kind === 'leaf') throw new FormShapeError(name, 'is both a value and a group of fields');
  if (existing.kind !== kind) throw new FormShapeError(name, 'mixes list indices and named fields');
  return existing;
}

function addEntry(root: Branch, name: string, value: FormValue): void {
  const segments = name.split('.');
  let branch = root;
  for (const [i, segment] of segments.entries()) {
    if (segment === '' || RESERVED.has(segment)) throw new FormShapeError(name, `has an empty or reserved segment`);
    const index = isIndexSegment(segment);
    if (!index && /^\d+$/.test(segment)) throw new FormShapeError(name, `has "${segment}", which is not a list index`);
    if (index !== (branch.kind === 'list') && branch !== root) {
      throw new FormShapeError(name, 'mixes list indices and named fields');
    }
    if (index && branch === root) throw new FormShapeError(name, 'starts with a list index');
    if (i === segments.length - 1) {
      const existing = branch.children.get(segment);
      if (existing === undefined) branch.children.set(segment, { kind: 'leaf', values: [value] });
      else if (existing.kind === 'leaf') existing.values.push(value);
      else throw new FormShapeError(name, 'is both a value and a group of fields');
      return;
    }
    const nextIsIndex = isIndexSegment(segments[i + 1]!);
    branch = childBranch(branch, segment, nextIsIndex ? 'list' : 'group', name);
  }
}

function toNode(node: Branch | Leaf): FormNode {
  if (node.kind === 'leaf') return node.values.length === 1 ? node.values[0]! : node.values;
  if (node.kind === 'list') {
    return [...node.children.entries()].sort(([a], [b]) => Number(a) - Number(b)).map(([, child]) => toNode(child));
  }
  // Object.fromEntries defines own properties, so even an odd key never reaches a prototype.
  return Object.fromEntries([...node.children.entries()].map(([key, child]) => [key, toNode(child)]));
}

/** The object a form describes; throws FormShapeError for a form that breaks the convention. */
export function formDataToObject(entries: Iterable<[string, FormDataEntryValue]>): FormObject {
  const root: Branch = { kind: 'group', children: new Map() };
  for (const [name, value] of entries) {
    if (name.startsWith('$ACTION_')) continue;
    addEntry(root, name, value);
  }
  return toNode(root) as FormObject;
}

/** The top-level fields named in `keep`, e.g. what a form shows again after a failed submit. */
export function pickFields(object: FormObject, keep: readonly string[]): FormObject {
  return Object.fromEntries(keep.filter((name) => Object.hasOwn(object, name)).map((name) => [name, object[name]!]));
}
