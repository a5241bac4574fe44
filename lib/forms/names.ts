// Form field names are paths: segments joined by dots, a whole number an array index. The page
// names its fields with fieldName and reads errors back with the same name; the server turns the
// names into an object (form-data.ts) and reports a zod issue under pathKey(issue.path), which is
// that same name. So `fieldName('hours', 'mon', 1, 'end')` === 'hours.mon.1.end' in both places.

export type PathSegment = string | number;

const INDEX = /^(?:0|[1-9]\d*)$/;
/** Indices above this are refused: no console list is that long, and it bounds a crafted form. */
export const MAX_INDEX = 9_999;

/** Whether a name segment is an array index: a whole number without leading zeros, up to MAX_INDEX. */
export function isIndexSegment(segment: string): boolean {
  return INDEX.test(segment) && Number(segment) <= MAX_INDEX;
}

/** The name of the field at this path; throws on a segment that could not round-trip. */
export function fieldName(...path: PathSegment[]): string {
  if (path.length === 0) throw new Error('a field name needs at least one segment');
  return path
    .map((segment) => {
      if (typeof segment === 'number') {
        if (!Number.isInteger(segment) || segment < 0 || segment > MAX_INDEX) throw new Error(`${segment} is not a list index`);
        return String(segment);
      }
      if (segment === '' || segment.includes('.') || INDEX.test(segment)) {
        throw new Error(`"${segment}" cannot be a field name segment (empty, dotted or a number)`);
      }
      return segment;
    })
    .join('.');
}

/** The field name for a zod issue's path; '' for an issue about the whole form. */
export function pathKey(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join('.');
}
