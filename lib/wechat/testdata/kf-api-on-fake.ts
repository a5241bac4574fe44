// A KfApi talking to a fake WeChat over real HTTP, for the API client's unit tests: each test starts
// the fake with the routes it needs, and the fake closes after the test.
import { afterEach } from 'vitest';
import { WechatClient } from '../client';
import { KfApi } from '../kf-api';
import { startFakeWechat, type FakeRoute, type FakeWechat } from './fake-wechat';

/** Call at a test file's top level; returns `setup(routes)` for its tests. */
export function kfApiOnFake(): (routes: Record<string, FakeRoute>) => Promise<{ fake: FakeWechat; api: KfApi }> {
  let fake: FakeWechat | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  return async (routes) => {
    fake = await startFakeWechat(routes);
    return { fake, api: new KfApi(new WechatClient({ appId: 'wx123', appSecret: 's', baseUrl: fake.baseUrl })) };
  };
}
