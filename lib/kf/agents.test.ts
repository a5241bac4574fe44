import { describe, expect, it } from 'vitest';
import { DomainError } from '@/lib/errors';
import type { InboundMessage } from '@/lib/wechat/messages';
import { bindingCodeOf, bindingSceneOf, bindingState } from './agent-binding';
import { checkAvatar, syncedAccountOf } from './agents';

describe('an account from getkflist as an agent', () => {
  const base = { kf_account: 'a@acct', kf_nick: 'A', kf_id: '1001', kf_headimgurl: 'http://mmbiz.qpic.cn/x/0' };
  it('is active when bound, whatever invitation fields linger', () => {
    expect(syncedAccountOf({ ...base, kf_wx: 'worker', invite_wx: 'old', invite_status: 'waiting', invite_expire_time: 1 })).toMatchObject({
      status: 'active',
      kfWx: 'worker',
      inviteWx: null,
      inviteExpiresAt: null,
      kfId: '1001',
    });
  });
  it.each([
    ['waiting', 'invited'],
    ['rejected', 'rejected'],
    ['expired', 'expired'],
  ] as const)('follows the invitation: %s → %s, with its expiry', (inviteStatus, status) => {
    const agent = syncedAccountOf({ ...base, invite_wx: 'w_x', invite_status: inviteStatus, invite_expire_time: 1_800_000_000 });
    expect(agent).toMatchObject({ status, inviteWx: 'w_x', kfWx: null });
    expect(agent.inviteExpiresAt?.toISOString()).toBe('2027-01-15T08:00:00.000Z');
  });
  it('is not invited when WeChat shows neither a worker nor an invitation', () => {
    expect(syncedAccountOf({ ...base, kf_headimgurl: '' })).toMatchObject({ status: 'uninvited', avatarUrl: null });
  });
});

describe('an avatar before upload', () => {
  const png = (w: number, h: number) => {
    const b = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
    b.write('IHDR', 12, 'latin1');
    b.writeUInt32BE(w, 16);
    b.writeUInt32BE(h, 20);
    return b;
  };
  const jpeg = (w: number, h: number) =>
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 0xff, w >> 8, w & 0xff, 0x03, 0, 0, 0, 0]);
  const file = (data: Buffer) => ({ data: new Uint8Array(data), type: 'image/png', name: 'a' });

  it('reads a JPEG\'s dimensions from its header', () => {
    expect(checkAvatar(file(jpeg(300, 200)))).toEqual({ format: 'jpg', width: 300, height: 200 });
  });
  it('refuses PNG (WeChat takes JPEG only) and other formats, tiny or huge images, empty and oversized files, at the avatar field', () => {
    const refusal = (data: Buffer) => {
      try {
        checkAvatar(file(data));
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).field).toBe('avatar');
        return (error as DomainError).code;
      }
      return undefined;
    };
    expect(refusal(Buffer.from('GIF89a........'))).toBe('agents.avatarType');
    expect(refusal(png(640, 640))).toBe('agents.avatarType');
    expect(refusal(jpeg(32, 32))).toBe('agents.avatarDimensions');
    expect(refusal(jpeg(640, 5000))).toBe('agents.avatarDimensions');
    expect(refusal(Buffer.alloc(0))).toBe('agents.avatarEmpty');
    expect(refusal(Buffer.concat([jpeg(640, 640), Buffer.alloc(5 * 1024 * 1024)]))).toBe('agents.avatarTooBig');
  });
});

describe('what the webhook takes as a binding', () => {
  const text = (Content: string) => ({ MsgType: 'text', Content, FromUserName: 'o', ToUserName: 'gh', CreateTime: 1, MsgId: '1' }) as unknown as InboundMessage;
  const event = (Event: string, EventKey: string) => ({ MsgType: 'event', Event, EventKey, FromUserName: 'o', ToUserName: 'gh', CreateTime: 1 }) as unknown as InboundMessage;
  it('is a six-digit code after 绑定 or bind, and nothing else', () => {
    expect(bindingCodeOf(text('绑定 123456'))).toBe('123456');
    expect(bindingCodeOf(text(' 绑定123456 '))).toBe('123456');
    expect(bindingCodeOf(text('BIND 000001'))).toBe('000001');
    for (const other of ['绑定 12345', '绑定 1234567', '请绑定 123456', '客服', '绑定 12345a']) expect(bindingCodeOf(text(other))).toBeUndefined();
  });
  it('is our scene on a SCAN, or after qrscene_ on a follow, never another QR code', () => {
    expect(bindingSceneOf(event('SCAN', 'wekf_bind_abc'))).toBe('wekf_bind_abc');
    expect(bindingSceneOf(event('subscribe', 'qrscene_wekf_bind_abc'))).toBe('wekf_bind_abc');
    expect(bindingSceneOf(event('SCAN', 'campaign_2026'))).toBeUndefined();
    expect(bindingSceneOf(event('subscribe', ''))).toBeUndefined();
    expect(bindingSceneOf(event('CLICK', 'wekf_bind_abc'))).toBeUndefined();
  });
  it('is waiting until used or expired', () => {
    const now = new Date('2026-12-06T10:00:00Z');
    const row = { usedAt: null, expiresAt: new Date('2026-12-06T10:05:00Z') } as never;
    expect(bindingState(row, now)).toBe('waiting');
    expect(bindingState({ ...(row as object), usedAt: now } as never, now)).toBe('bound');
    expect(bindingState(row, new Date('2026-12-06T10:06:00Z'))).toBe('expired');
    expect(bindingState(undefined, now)).toBe('expired');
  });
});
