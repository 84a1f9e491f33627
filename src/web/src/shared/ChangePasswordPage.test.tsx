import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18n from './i18n';
import './strings';
import { AuthProvider } from './auth';
import { AppRoutes } from '../AppRoutes';
import type * as Api from './api-types';
import { json } from './testResponses';

const me: Api.SchemaMeResponse = {
  id: 'u1',
  userName: 'wanggrid',
  displayName: '王网格',
  ownerId: null,
  roles: [{ role: 'gridWorker', roleName: '网格员', orgUnitId: 'g1', orgUnitName: '第一网格', level: 'grid' }],
  mustChangePassword: true,
};

function renderAt(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <MemoryRouter initialEntries={[path]}>
          <AppRoutes />
        </MemoryRouter>
      </AuthProvider>
    </QueryClientProvider>,
  );
}

const calls = (fetchMock: ReturnType<typeof vi.fn>) => fetchMock.mock.calls as unknown as [string, RequestInit][];

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => vi.unstubAllGlobals());

describe('the forced password change', () => {
  it.each(['/console', '/m'])('comes before anything else at %s while the password must be changed', async (path) => {
    const fetchMock = vi.fn(async (url: string) => (url === '/api/auth/me' ? json(me) : json({}, 403)));
    vi.stubGlobal('fetch', fetchMock);
    renderAt(path);
    expect(await screen.findByTestId('change-password')).toHaveTextContent('请先修改密码');
    expect(calls(fetchMock).map(([url]) => url)).toEqual(['/api/auth/me']);
  });

  it('sends nothing while the two new passwords differ', async () => {
    const fetchMock = vi.fn(async () => json(me));
    vi.stubGlobal('fetch', fetchMock);
    renderAt('/console');
    await userEvent.type(await screen.findByTestId('current-password'), 'Kq7-mZ2x-Hp9w');
    await userEvent.type(screen.getByTestId('new-password'), 'river-lantern-42');
    await userEvent.type(screen.getByTestId('repeat-password'), 'river-lantern-43');
    await userEvent.click(screen.getByTestId('change-submit'));
    expect(screen.getByText('两次输入的新密码不一致')).toBeInTheDocument();
    expect(calls(fetchMock).some(([url]) => url === '/api/auth/password')).toBe(false);
  });

  it('shows the server’s policy message as it comes, then, once changed, sends the user to sign in again', async () => {
    let attempt = 0;
    const fetchMock = vi.fn(async (url: string) => {
      if (url === '/api/auth/me') return json(me);
      if (url === '/api/auth/password')
        return ++attempt === 1
          ? json(
              {
                status: 400,
                title: '请求的内容有误。',
                errors: { newPassword: ['新密码太常见，容易被猜中，请换一个。'] },
              },
              400,
            )
          : new Response(null, { status: 204 });
      return json({});
    });
    vi.stubGlobal('fetch', fetchMock);
    renderAt('/console');
    await userEvent.type(await screen.findByTestId('current-password'), 'Kq7-mZ2x-Hp9w');
    await userEvent.type(screen.getByTestId('new-password'), 'password123');
    await userEvent.type(screen.getByTestId('repeat-password'), 'password123');
    await userEvent.click(screen.getByTestId('change-submit'));
    expect(await screen.findByTestId('change-error')).toHaveTextContent('新密码太常见，容易被猜中，请换一个。');
    await userEvent.click(screen.getByTestId('change-submit'));
    expect(await screen.findByTestId('password-changed')).toHaveTextContent('请用新密码重新登录');
    const sent = calls(fetchMock).filter(([url]) => url === '/api/auth/password');
    expect(JSON.parse(String(sent[1][1].body))).toEqual({
      currentPassword: 'Kq7-mZ2x-Hp9w',
      newPassword: 'password123',
    });
    await userEvent.click(screen.getByTestId('sign-in-again'));
    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
  }, 20000);
});
