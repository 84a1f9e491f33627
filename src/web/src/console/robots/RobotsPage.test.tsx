import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import i18n from '../../shared/i18n';
import '../strings';
import type { OrgNode } from '../../shared/types';
import type { GroupRobot } from '../consoleApi';
import { AuthProvider } from '../../shared/auth';
import { RobotsPage, robotNodes } from './RobotsPage';
import { json } from '../../shared/testResponses';

const org: OrgNode[] = [
  { id: 's', parentId: null, level: 'street', name: '东湖街道' },
  { id: 'c1', parentId: 's', level: 'community', name: '幸福社区' },
  { id: 'g1', parentId: 'c1', level: 'grid', name: '第一网格' },
  { id: 'c2', parentId: 's', level: 'community', name: '和平社区' },
];
const robot: GroupRobot = {
  id: 'r1',
  orgUnitId: 'c1',
  kind: 'dingTalk',
  name: '社区工作群',
  url: 'https://oapi.dingtalk.com/robot/send?access_token=ab…yz',
  secret: 'SE…9f',
  enabled: true,
  lastDeliveredAt: null,
  lastError: 'HTTP 403：签名不匹配',
  waiting: 3,
};

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => vi.unstubAllGlobals());

describe('RobotsPage', () => {
  it('shows the masked key and secret, the last error and what waits; a rename keeps the stored URL and secret', async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/org') return json(org);
      if (url === '/api/org-units/c1/robots' && !init?.method?.match(/PUT|POST|DELETE/)) return json([robot]);
      return json({ ...robot, name: '社区两委工作群' });
    });
    vi.stubGlobal('fetch', fetchMock);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    client.setQueryData(['me'], {
      id: 'u1',
      userName: 'liusec',
      displayName: '刘书记',
      roles: [{ role: 'partySecretary', roleName: '社区党组织书记', orgUnitId: 'c1', orgUnitName: '幸福社区' }],
    });
    render(
      <QueryClientProvider client={client}>
        <AuthProvider>
          <App>
            <RobotsPage />
          </App>
        </AuthProvider>
      </QueryClientProvider>,
    );
    const table = await screen.findByTestId('robots');
    expect(table).toHaveTextContent('access_token=ab…yz');
    expect(table).toHaveTextContent('加签密钥 SE…9f');
    expect(table).toHaveTextContent('3 条待发送');
    expect(screen.getByTestId('robot-error')).toHaveTextContent('HTTP 403：签名不匹配');
    await userEvent.click(screen.getByTestId('robot-edit-r1'));
    const name = await screen.findByDisplayValue('社区工作群');
    await userEvent.clear(name);
    await userEvent.type(name, '社区两委工作群');
    await userEvent.click(screen.getByTestId('robot-save'));
    await vi.waitFor(() =>
      expect((fetchMock.mock.calls as unknown as [string, RequestInit][]).some(([, i]) => i?.method === 'PUT')).toBe(
        true,
      ),
    );
    const [url, init] = (fetchMock.mock.calls as unknown as [string, RequestInit][]).find(
      ([, i]) => i?.method === 'PUT',
    )!;
    expect(url).toBe('/api/org-units/c1/robots/r1');
    expect(JSON.parse(String(init.body))).toEqual({
      kind: 'dingTalk',
      name: '社区两委工作群',
      url: null,
      secret: null,
      enabled: true,
    });
  }, 20000);

  it('sends a test card and says what the robot answered', async () => {
    const fetchMock = vi.fn(async (url: string) => {
      if (url === '/api/org') return json(org);
      if (url === '/api/org-units/c1/robots/r1/test')
        return json({ delivered: false, error: 'errcode 310000 sign not match' });
      return json([robot]);
    });
    vi.stubGlobal('fetch', fetchMock);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    client.setQueryData(['me'], {
      id: 'u1',
      userName: 'liusec',
      displayName: '刘书记',
      roles: [{ role: 'partySecretary', roleName: '社区党组织书记', orgUnitId: 'c1', orgUnitName: '幸福社区' }],
    });
    render(
      <QueryClientProvider client={client}>
        <AuthProvider>
          <App>
            <RobotsPage />
          </App>
        </AuthProvider>
      </QueryClientProvider>,
    );
    await userEvent.click(await screen.findByTestId('robot-test-r1'));
    expect(await screen.findByText('测试消息未送达：errcode 310000 sign not match')).toBeInTheDocument();
  }, 20000);

  it('offers a party secretary their community and its grids, not another community', () => {
    expect(robotNodes(org, [{ role: 'partySecretary', orgUnitId: 'c1' }]).map((n) => n.id)).toEqual(['c1', 'g1']);
    expect(robotNodes(org, [{ role: 'gridWorker', orgUnitId: 'c2' }])).toEqual([]);
  });
});
