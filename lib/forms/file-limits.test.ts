import { describe, expect, it } from 'vitest';
import { oversizedFiles } from './file-limits';

const limits = { avatar: { maxBytes: 10, message: 'at most 10 bytes' } };

function form(entries: [string, string | File][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

describe('oversizedFiles', () => {
  it('refuses a file over its field’s limit, beside that field', () => {
    expect(oversizedFiles(form([['avatar', new File([new Uint8Array(11)], 'a.jpg')]]), limits)).toEqual({ avatar: 'at most 10 bytes' });
  });

  it('lets a file at the limit, no file, and fields without a limit through', () => {
    expect(oversizedFiles(form([['avatar', new File([new Uint8Array(10)], 'a.jpg')]]), limits)).toBeUndefined();
    expect(oversizedFiles(form([['agentId', '3']]), limits)).toBeUndefined();
    expect(oversizedFiles(form([['other', new File([new Uint8Array(99)], 'b.jpg')]]), limits)).toBeUndefined();
  });
});
