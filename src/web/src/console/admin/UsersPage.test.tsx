import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import i18n from '../../shared/i18n';
import '../strings';
import type * as Api from '../../shared/api-types';
import { UsersPage } from './UsersPage';
import { json } from '../../shared/testResponses';

const users: Api.SchemaStaffUserView[] = [
  {
    id: 'u1',
    userName: 'wanggrid',
    displayName: '王网格',
    email: null,
    phone: '13800000001',
    active: true,
    mustChangePassword: false,
    roles: [
      {
        role: 'gridWorker',
        roleName: '网格员',
        orgUnitId: 'g1',
        orgUnitName: '第一网格',
        orgUnitPathName: '幸福社区 / 第一网格',
      },
    ],
  },
  {
    id: 'u2',
    userName: 'liprop',
    displayName: '李物业',
    email: 'li@example.cn',
    phone: null,
    active: true,
    mustChangePassword: true,
    roles: [
      {
        role: 'propertyCompany',
        roleName: '物业公司',
        orgUnitId: 'c1',
        orgUnitName: '幸福社区',
        orgUnitPathName: '幸福社区',
      },
    ],
  },
  {
    id: 'u3',
    userName: 'zhangold',
    displayName: '张停用',
    email: null,
    phone: null,
    active: false,
    mustChangePassword: false,
    roles: [
      {
        role: 'gridWorker',
        roleName: '网格员',
        orgUnitId: 'g2',
        orgUnitName: '第一网格',
        orgUnitPathName: '和平社区 / 第一网格',
      },
    ],
  },
];

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <App>
        <UsersPage />
      </App>
    </QueryClientProvider>,
  );
}

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => vi.unstubAllGlobals());

describe('UsersPage', () => {
  it('finds accounts by name or phone', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(users)),
    );
    renderPage();
    expect(await screen.findByText('王网格')).toBeInTheDocument();
    expect(screen.getByText('待修改密码')).toBeInTheDocument();
    await userEvent.type(screen.getByTestId('user-search').querySelector('input')!, '1380000');
    expect(screen.getByText('王网格')).toBeInTheDocument();
    expect(screen.queryByText('李物业')).toBeNull();
  });

  it('resets a password after asking, shows the one-time password once with a copy button, and never again', async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) =>
      url === '/api/users/u1/password' && init?.method === 'POST'
        ? json({ oneTimePassword: 'Kq7-mZ2x-Hp9w' } satisfies Api.SchemaOneTimePasswordView)
        : json(users),
    );
    vi.stubGlobal('fetch', fetchMock);
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderPage();
    await userEvent.click(await screen.findByTestId('user-reset-wanggrid'));
    expect(await screen.findByText(/所有登录立即结束/)).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([u]) => u === '/api/users/u1/password')).toBe(false);
    await userEvent.click(screen.getByTestId('confirm-ok'));
    expect(await screen.findByTestId('one-time-password')).toHaveTextContent('Kq7-mZ2x-Hp9w');
    expect(screen.getByText(/此密码只显示这一次/)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('one-time-copy'));
    expect(writeText).toHaveBeenCalledWith('Kq7-mZ2x-Hp9w');
    await userEvent.click(screen.getByTestId('one-time-close'));
    await waitFor(() => expect(screen.queryByText('Kq7-mZ2x-Hp9w')).toBeNull());
    expect(fetchMock.mock.calls.filter(([u]) => u === '/api/users/u1/password')).toHaveLength(1);
  }, 20000);

  it('asks before deactivating and sends nothing when cancelled', async () => {
    const fetchMock = vi.fn(async (_url: string) => json(users));
    vi.stubGlobal('fetch', fetchMock);
    renderPage();
    await userEvent.click(await screen.findByTestId('user-deactivate-liprop'));
    expect(await screen.findByText(/该用户将不能再登录/)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('confirm-cancel'));
    expect(fetchMock.mock.calls.some(([u]) => String(u).includes('deactivate'))).toBe(false);
  }, 20000);

  it('names each role with its community, since every community has a 第一网格', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(users)),
    );
    renderPage();
    expect(await screen.findByText('网格员 · 幸福社区 / 第一网格')).toBeInTheDocument();
    expect(screen.getByText('网格员 · 和平社区 / 第一网格')).toBeInTheDocument();
  });

  it('offers 启用 only on a deactivated account, asks first, and sends the reactivation once confirmed', async () => {
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'POST' ? new Response(null, { status: 204 }) : json(users),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderPage();
    await userEvent.click(await screen.findByTestId('user-reactivate-zhangold'));
    expect(screen.queryByTestId('user-reactivate-wanggrid')).toBeNull();
    expect(screen.queryByTestId('user-deactivate-zhangold')).toBeNull();
    expect(await screen.findByText(/可以用原来的密码再次登录/)).toBeInTheDocument();
    expect(screen.queryByText(/不能撤回/)).toBeNull();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() =>
      expect(fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST').map(([u]) => u)).toEqual([
        '/api/users/u3/reactivate',
      ]),
    );
  }, 20000);
});
