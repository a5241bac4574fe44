// Reading fields from WeChat-style JSON bodies and queries without trusting their shape.
import { SimApiError } from './errors';

export type JsonObject = Record<string, unknown>;

export function objectBody(body: unknown): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SimApiError(47001);
  return body as JsonObject;
}

/** A string field; numbers are accepted as WeChat's servers coerce them. */
export function stringField(source: JsonObject, name: string): string | undefined {
  const value = source[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An integer field given as a JSON number or a numeric string. */
export function integerField(source: JsonObject, name: string): number | undefined {
  const value = source[name];
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

export function objectField(source: JsonObject, name: string): JsonObject | undefined {
  const value = source[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}
