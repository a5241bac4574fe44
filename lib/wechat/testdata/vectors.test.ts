import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VECTORS_PATH, vectors } from './vectors';

const SHARED = path.resolve(process.cwd(), '../shared/wechat/vectors.json');

describe('official vectors', () => {
  it('committed copy holds every vector group', () => {
    expect(vectors.url_verification_plain.length).toBeGreaterThanOrEqual(2);
    expect(vectors.decrypt.length).toBeGreaterThanOrEqual(3);
    expect(vectors.encrypt_deterministic.length).toBeGreaterThanOrEqual(3);
  });

  it.runIf(existsSync(SHARED))('committed copy matches shared/wechat/vectors.json', () => {
    expect(JSON.parse(readFileSync(VECTORS_PATH, 'utf8'))).toEqual(JSON.parse(readFileSync(SHARED, 'utf8')));
  });
});
