import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import '../strings';
import { AdjournMeeting } from './AdjournMeeting';
import type { Meeting, Participant } from './types';

const member = (id: string, name: string, attendance: string): Participant => ({
  id,
  party: 'partyOrganisation',
  partyName: '社区党组织',
  name,
  role: 'member',
  attendance,
  attendanceName: attendance,
});

function meeting(met: boolean | null, state: Meeting['state'] = 'inSession'): Meeting {
  return {
    id: 'm1',
    state,
    canManage: true,
    parties: [
      {
        party: 'partyOrganisation',
        partyName: '社区党组织',
        participants: [member('p1', '刘书记', 'present'), member('p2', '孙主任', 'absent')],
      },
    ],
    quorum: { rule: 'majorityOfParties', description: '过半数受邀方有人出席', counted: 1, of: 5, required: 3, met },
  } as unknown as Meeting;
}

function renderIt(m: Meeting) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <App>
        <AdjournMeeting meeting={m} />
      </App>
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('AdjournMeeting', () => {
  it('without the quorum says so, names who came and, once confirmed, adjourns to the chosen time', async () => {
    const fetchMock = vi.fn(
      async () => new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderIt(meeting(false));
    expect(screen.getByTestId('quorum-not-met')).toHaveTextContent('未达法定人数');
    expect(screen.getByTestId('present-members')).toHaveTextContent('刘书记（社区党组织）');
    expect(screen.getByTestId('present-members')).not.toHaveTextContent('孙主任');
    fireEvent.change(screen.getByTestId('adjourn-time'), { target: { value: '2030-01-15T19:30' } });
    await userEvent.click(screen.getByTestId('meeting-adjourn'));
    // It asks first, saying who hears of the new time; nothing is sent before the answer.
    expect(await screen.findByText(/全部 2 名参会人员会收到改期通知/)).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
    await userEvent.click(screen.getByTestId('confirm-ok'));
    const calls = fetchMock.mock.calls as unknown as [string, RequestInit][];
    const call = calls.find(([url]) => url === '/api/meetings/m1/adjourn');
    expect(call?.[1].method).toBe('POST');
    expect(JSON.parse(String(call?.[1].body))).toEqual({ startsAt: new Date('2030-01-15T19:30').toISOString() });
  }, 20000);

  it('with the quorum offers adjourning only behind a button, and nothing outside a session', async () => {
    renderIt(meeting(true));
    expect(screen.queryByTestId('quorum-not-met')).toBeNull();
    expect(screen.queryByTestId('adjourn-time')).toBeNull();
    await userEvent.click(screen.getByTestId('meeting-adjourn-start'));
    expect(screen.getByTestId('adjourn-time')).toBeInTheDocument();
  });

  it('is not shown on a meeting that is not in session', () => {
    renderIt(meeting(false, 'convened'));
    expect(screen.queryByTestId('meeting-adjourn')).toBeNull();
    expect(screen.queryByTestId('meeting-adjourn-start')).toBeNull();
  });
});
