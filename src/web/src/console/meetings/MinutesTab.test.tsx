import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import { AuthProvider } from '../../shared/auth';
import '../strings';
import { MinutesTab } from './MinutesTab';
import type { Meeting } from './types';
import { json } from '../../shared/testResponses';

const meeting = { id: 'm1', state: 'closed', canManage: true } as Meeting;
const version = (n: number, signed: boolean) => ({
  version: n,
  sha256: 'ab'.repeat(32),
  language: 'zh-CN',
  createdAt: '2026-03-01T08:00:00Z',
  createdBy: '孙主任',
  reason: n > 1 ? '更正出席人数' : null,
  signOffs: signed ? [{ userId: 'chair', name: '刘书记', signedAt: '2026-03-01T09:00:00Z' }] : [],
  requiredSigners: [
    { userId: 'chair', name: '刘书记' },
    { userId: 'rec', name: '孙主任' },
  ],
});

function renderTab(userId: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(['me'], { id: userId, userName: userId, displayName: userId, roles: [] });
  render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <App>
          <MinutesTab meeting={meeting} />
        </App>
      </AuthProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('MinutesTab', () => {
  it(
    'previews the latest PDF, lists the versions with who signed, and lets a required signer sign the latest',
    { timeout: 20_000 },
    async () => {
      const fetchMock = vi.fn(async (url: string) =>
        json(url.endsWith('/minutes') ? [version(1, true), version(2, false)] : {}),
      );
      vi.stubGlobal('fetch', fetchMock);
      renderTab('chair');
      expect(await screen.findByTestId('minutes-preview')).toHaveAttribute('data', '/api/meetings/m1/minutes.pdf');
      expect(screen.getByText('第 2 版')).toBeInTheDocument();
      expect(screen.getByText('更正出席人数')).toBeInTheDocument();
      await userEvent.click(screen.getByTestId('minutes-sign'));
      // Signing cannot be undone: it asks first, and signs only on 确定.
      const calls = fetchMock.mock.calls as unknown as [string, RequestInit][];
      const signed = () =>
        calls.some(([url, init]) => url === '/api/meetings/m1/minutes/2/sign-off' && init.method === 'POST');
      expect(signed()).toBe(false);
      await userEvent.click(await screen.findByTestId('confirm-ok'));
      await waitFor(() => expect(signed()).toBe(true));
    },
  );

  it('offers no sign-off to someone who need not sign or has signed', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json([version(1, true)])),
    );
    renderTab('chair');
    await screen.findByTestId('minutes-preview');
    expect(screen.queryByTestId('minutes-sign')).toBeNull();
  });
});
