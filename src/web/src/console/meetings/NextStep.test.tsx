import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import '../strings';
import { NextStep } from './MeetingPage';
import type { Meeting, Participant } from './types';

const person = (id: string, name: string): Participant => ({
  id,
  party: 'partyOrganisation',
  partyName: '社区党组织',
  name,
  role: 'member',
  attendance: 'unknown',
  attendanceName: '',
});

function meeting(state: Meeting['state']): Meeting {
  return {
    id: 'm1',
    state,
    canManage: true,
    startsAt: '2030-01-15T07:00:00Z',
    parties: [
      {
        party: 'partyOrganisation',
        partyName: '社区党组织',
        participants: [person('p1', '刘书记'), person('p2', '孙主任')],
      },
      { party: 'propertyCompany', partyName: '物业公司', participants: [person('p3', '周经理')] },
    ],
    quorum: { rule: 'majorityOfParties', description: '', counted: 0, of: 2, required: 2, met: null },
  } as unknown as Meeting;
}

function renderIt(m: Meeting) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <App>
        <NextStep meeting={m} />
      </App>
    </QueryClientProvider>,
  );
}

const ok = () => new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
const posted = (fetchMock: ReturnType<typeof vi.fn>) =>
  (fetchMock.mock.calls as unknown as [string, RequestInit][])
    .filter(([, init]) => init?.method === 'POST')
    .map(([u]) => u);

afterEach(() => vi.unstubAllGlobals());

describe('NextStep', () => {
  it('asks before sending the notice, saying how many are invited, and sends nothing when the secretary thinks again', async () => {
    const fetchMock = vi.fn(async () => ok());
    vi.stubGlobal('fetch', fetchMock);
    renderIt(meeting('draft'));
    await userEvent.click(screen.getByTestId('meeting-convene'));
    expect(await screen.findByText(/会议通知将发给全部 3 名参会人员/)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('confirm-cancel'));
    expect(posted(fetchMock)).toEqual([]);
  }, 20000);

  it('sends the notice once the secretary confirms', async () => {
    const fetchMock = vi.fn(async () => ok());
    vi.stubGlobal('fetch', fetchMock);
    renderIt(meeting('draft'));
    await userEvent.click(screen.getByTestId('meeting-convene'));
    await userEvent.click(await screen.findByTestId('confirm-ok'));
    expect(posted(fetchMock)).toEqual(['/api/meetings/m1/convene']);
  }, 20000);

  it('asks before opening the session', async () => {
    const fetchMock = vi.fn(async () => ok());
    vi.stubGlobal('fetch', fetchMock);
    renderIt(meeting('convened'));
    await userEvent.click(screen.getByTestId('meeting-open'));
    expect(await screen.findByText(/会议进入进行中/)).toBeInTheDocument();
    expect(posted(fetchMock)).toEqual([]);
    await userEvent.click(screen.getByTestId('confirm-ok'));
    expect(posted(fetchMock)).toEqual(['/api/meetings/m1/open']);
  }, 20000);
});
