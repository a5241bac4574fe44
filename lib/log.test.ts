import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { errorText, maskOpenid } from './log';

describe('errorText', () => {
  it('keeps the message of a plain Error and never its stack', () => {
    const error = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    expect(errorText(error)).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(errorText(error)).not.toContain(' at ');
  });

  it('names errors of other kinds, and caps the length', () => {
    expect(errorText(new TypeError('bad'))).toBe('TypeError: bad');
    expect(errorText(new Error('x'.repeat(1000)))).toHaveLength(300);
    expect(errorText('thrown text')).toBe('thrown text');
  });
});

describe('errorText of a failed query', () => {
  it('gives the statement’s first words and the database’s reason, never the parameters', () => {
    const cause = Object.assign(new Error('null character not permitted'), { name: 'PostgresError' });
    const failed = new DrizzleQueryError('insert into "users" ("email", "password_hash") values ($1, $2)', ['a@b.test', '$argon2id$v=19$secret-hash'], cause);
    const text = errorText(failed);
    expect(text).toBe('query failed (insert into "users"): PostgresError: null character not permitted');
    expect(text).not.toContain('argon2id');
  });
});

describe('maskOpenid', () => {
  it('keeps a few characters at each end and hides the rest', () => {
    expect(maskOpenid('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o')).toBe('oUpF…S6o');
    expect(maskOpenid('short')).toBe('***');
  });
});
