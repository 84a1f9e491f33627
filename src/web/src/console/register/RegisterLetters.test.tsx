import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import i18n from '../../shared/i18n';
import '../strings';
import { AuthProvider } from '../../shared/auth';
import type { OrgNode } from '../../shared/types';
import { RegisterPage } from './RegisterPage';
import { json } from '../../shared/testResponses';

const org: OrgNode[] = [
  { id: 'c1', parentId: null, level: 'community', name: '幸福里社区' },
  { id: 'g1', parentId: 'c1', level: 'grid', name: '第一网格' },
  { id: 'b10', parentId: 'g1', level: 'building', name: '10号楼' },
  { id: 'b2', parentId: 'g1', level: 'building', name: '2号楼' },
];

function renderAs(role: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(['me'], {
    id: 'u1',
    userName: 'zhouyw',
    displayName: '周主任',
    roles: [{ role, roleName: '', orgUnitId: 'c1', orgUnitName: '幸福里社区' }],
  });
  render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <App>
          <RegisterPage />
        </App>
      </AuthProvider>
    </QueryClientProvider>,
  );
}

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => vi.unstubAllGlobals());

describe('invitation letters', () => {
  it('prints a building’s letters as a PDF download only after saying that older letters stop working', async () => {
    const fetchMock = vi.fn(async (url: string) => {
      if (url === '/api/org') return json(org);
      if (url === '/api/buildings/b2/letters')
        // a string body: jsdom's Blob is not the one fetch's Response reads
        return new Response('%PDF-1.7', { headers: { 'Content-Type': 'application/pdf' } });
      return json({ items: [], total: 0, page: 1, pageSize: 50 });
    });
    vi.stubGlobal('fetch', fetchMock);
    const saved = vi.fn(() => 'blob:letters');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: saved, revokeObjectURL: vi.fn() }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderAs('ownersCommittee');
    await userEvent.click(await screen.findByText('邀请函'));
    const rows = (await screen.findByTestId('register-letters')).querySelectorAll('tbody tr');
    expect([...rows].map((r) => r.textContent)).toEqual(['2号楼打印邀请函', '10号楼打印邀请函']);
    await userEvent.click(screen.getByTestId('letters-2号楼'));
    expect(await screen.findByText(/尚未使用的邀请函将全部作废/)).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([u]) => u === '/api/buildings/b2/letters')).toBe(false);
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await vi.waitFor(() => expect(click).toHaveBeenCalled());
    const [, init] = (fetchMock.mock.calls as unknown as [string, RequestInit][]).find(
      ([u]) => u === '/api/buildings/b2/letters',
    )!;
    expect(init.method).toBe('POST');
    expect((saved.mock.calls[0] as unknown as [{ type: string }])[0].type).toBe('application/pdf');
    click.mockRestore();
  }, 20000);

  it('is not offered to the property company', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url === '/api/org' ? json(org) : json({ items: [], total: 0, page: 1, pageSize: 50 }),
      ),
    );
    renderAs('propertyCompany');
    await screen.findByText('名册');
    expect(screen.queryByText('邀请函')).toBeNull();
  }, 20000);
});
