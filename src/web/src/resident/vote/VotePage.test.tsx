import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import i18n from '../../shared/i18n';
import '../strings';
import { VotePage } from './VotePage';
import { keptReceiptFor } from './receipts';
import { AuthProvider } from '../../shared/auth';
import { json } from '../../shared/testResponses';

const ballot = {
  id: 'b1',
  title: '加装电梯',
  rule: 'civil-code-278-ordinary',
  secret: false,
  allowRevote: false,
  deemedConsent: false,
  scope: { id: 'u1', name: '1号楼' },
  opensAt: '2026-03-01T00:00:00Z',
  closesAt: '2026-03-16T00:00:00Z',
  status: 'open',
  isOpen: true,
  electorate: { units: 12, heads: 12, area: 1164, members: 0, present: 0 },
  participation: { heads: 3, area: 290 },
};
const mine = { eligible: true, units: ['1-102'], area: 105.2, voted: false, canVote: true };

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(['me'], { id: 'u1', userName: 'resident', displayName: '陈晓燕', roles: [] });
  render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <MemoryRouter initialEntries={['/m/ballots/b1']}>
          <Routes>
            <Route path="/m/ballots/:id" element={<VotePage />} />
          </Routes>
        </MemoryRouter>
      </AuthProvider>
    </QueryClientProvider>,
  );
}

beforeEach(async () => {
  localStorage.clear();
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => vi.unstubAllGlobals());

describe('VotePage', () => {
  it('casts the chosen vote and shows the receipt code, which it keeps on the device', async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/ballots/b1') return json(ballot);
      if (url === '/api/ballots/b1/me') return json(mine);
      if (url === '/api/ballots/b1/votes' && init?.method === 'POST')
        return json({
          ballotId: 'b1',
          receipt: 'K7P2-9XQM',
          choice: 'agree',
          units: ['1-102'],
          area: 105.2,
          revote: false,
        });
      throw new Error(`unexpected ${url}`);
    });
    vi.stubGlobal('fetch', fetchMock);
    renderPage();

    expect(await screen.findByText('您的房屋：1-102（105.2 ㎡）')).toBeInTheDocument();
    expect(screen.getByTestId('vote-submit')).toBeDisabled();
    await userEvent.click(screen.getByTestId('choice-agree'));
    expect(screen.getByTestId('vote-submit')).toHaveTextContent('确认投票：同意');
    await userEvent.click(screen.getByTestId('vote-submit'));

    expect(await screen.findByTestId('receipt-code')).toHaveTextContent('K7P2-9XQM');
    expect(screen.getByText('投票成功，请保存回执码')).toBeInTheDocument();
    const post = (fetchMock.mock.calls as unknown as [string, RequestInit][]).find(([, i]) => i?.method === 'POST')!;
    expect(JSON.parse(post[1].body as string)).toEqual({ choice: 'agree' });
    expect(keptReceiptFor('u1', 'b1')).toMatchObject({ code: 'K7P2-9XQM', choice: 'agree', title: '加装电梯' });
  });

  it('shows why a vote was refused, in the words of the server', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url === '/api/ballots/b1') return json(ballot);
        if (url === '/api/ballots/b1/me') return json(mine);
        if (init?.method === 'POST') return json({ status: 409, code: 'ballotNotOpen', detail: '表决已经结束。' }, 409);
        throw new Error(`unexpected ${url}`);
      }),
    );
    renderPage();
    await userEvent.click(await screen.findByTestId('choice-disagree'));
    await userEvent.click(screen.getByTestId('vote-submit'));
    expect(await screen.findByTestId('vote-error')).toHaveTextContent('表决已经结束。');
    expect(screen.queryByTestId('receipt-code')).toBeNull();
  });
});
