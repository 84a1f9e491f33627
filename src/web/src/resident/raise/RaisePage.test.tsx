import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import i18n from '../../shared/i18n';
import '../strings';
import { AuthProvider } from '../../shared/auth';
import { RaisePage } from './RaisePage';
import { json } from '../../shared/testResponses';

const org = [
  { id: 'c1', name: '幸福里社区', level: 'community', parentId: null },
  { id: 'g1', name: '第一网格', level: 'grid', parentId: 'c1' },
  { id: 'b1', name: '1号楼', level: 'building', parentId: 'g1' },
];

beforeEach(async () => {
  localStorage.clear();
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => vi.unstubAllGlobals());

describe('RaisePage', () => {
  it("cannot be sent before the places have loaded, then sends from the resident's own grid", async () => {
    let places: (r: Response) => void = () => {};
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string) => {
        if (url.startsWith('/api/org')) return new Promise<Response>((ok) => (places = ok));
        if (url.startsWith('/api/matters/categories'))
          return Promise.resolve(json([{ code: 'facilities', name: '设施维修' }]));
        return Promise.resolve(json({}));
      }),
    );
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    client.setQueryData(['me'], {
      id: 'u1',
      userName: 'resident',
      displayName: '陈晓燕',
      roles: [{ role: 'resident', orgUnitId: 'b1' }],
    });
    render(
      <QueryClientProvider client={client}>
        <AuthProvider>
          <MemoryRouter initialEntries={['/m/raise']}>
            <RaisePage />
          </MemoryRouter>
        </AuthProvider>
      </QueryClientProvider>,
    );
    // A quick tap before the grid is known would be refused as 请选择所在网格 with the grid then shown as chosen.
    expect(screen.getByTestId('raise-submit')).toBeDisabled();
    places(json(org));
    await waitFor(() => expect(screen.getByTestId('raise-submit')).toBeEnabled());
    expect(screen.getByTestId('raise-grid')).toHaveValue('g1');
    expect(screen.getByTestId('raise-building')).toHaveValue('b1');
  });
});
