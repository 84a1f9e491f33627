import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18n from './i18n';
import './strings';
import { AuthProvider } from './auth';
import { AppRoutes } from '../AppRoutes';
import { json } from './testResponses';

function renderAt(path: string, options: { demo: boolean; oidc: boolean }) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => (url === '/api/auth/options' ? json(options) : json({ code: 'unauthorized' }, 401))),
  );
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

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => vi.unstubAllGlobals());

describe('signing in through the identity provider', () => {
  it('offers the provider when the server has one, returning to the page asked for', async () => {
    renderAt('/login?next=%2Fconsole%2Fmatters', { demo: false, oidc: true });
    const link = await screen.findByTestId('sign-in-oidc');
    expect(link).toHaveTextContent('使用统一身份认证登录');
    expect(link).toHaveAttribute('href', '/api/auth/oidc/login?returnUrl=%2Fconsole%2Fmatters');
  });

  it('offers no provider when the server has none', async () => {
    renderAt('/login', { demo: true, oidc: false });
    await screen.findByTestId('demo-banner');
    expect(screen.queryByTestId('sign-in-oidc')).not.toBeInTheDocument();
  });

  it('says in Chinese why the provider sign-in was refused', async () => {
    renderAt('/login?oidcError=unknownAccount', { demo: false, oidc: true });
    expect(await screen.findByTestId('oidc-error')).toHaveTextContent('本系统中没有与您对应的工作人员账号');
  });

  it('treats an unknown refusal code as a failed sign-in, never showing the code', async () => {
    renderAt('/login?oidcError=%3Cscript%3E', { demo: false, oidc: true });
    const message = await screen.findByTestId('oidc-error');
    expect(message).toHaveTextContent('统一身份认证登录未完成');
    expect(message).not.toHaveTextContent('script');
  });
});
