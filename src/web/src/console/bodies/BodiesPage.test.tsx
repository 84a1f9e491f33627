import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import i18n from '../../shared/i18n';
import '../strings';
import type { OrgNode } from '../../shared/types';
import type { Body, StaffAccount } from '../consoleApi';
import { AuthProvider } from '../../shared/auth';
import { BodiesPage, bodyCommunities } from './BodiesPage';
import { json } from '../../shared/testResponses';

const org: OrgNode[] = [
  { id: 's', parentId: null, level: 'street', name: '东湖街道' },
  { id: 'c1', parentId: 's', level: 'community', name: '幸福里社区' },
  { id: 'g1', parentId: 'c1', level: 'grid', name: '第一网格' },
  { id: 'c2', parentId: 's', level: 'community', name: '和平社区' },
];
const company: Body = {
  id: 'b1',
  communityId: 'c1',
  kind: 'propertyCompany',
  name: '安居物业',
  contact: '010-12345678',
  partyOrganisation: null,
  retiredAt: null,
  termState: 'expired',
  currentTerm: null,
  terms: [
    {
      id: 't1',
      startsOn: '2023-01-01',
      endsOn: '2025-12-31',
      replacedOn: null,
      current: false,
      members: [{ id: 'm1', name: '老经理', position: 'chair', userId: null, phone: null, delegate: false }],
    },
  ],
};
const staff: StaffAccount[] = [
  { id: 'u-owners', userName: 'owners-committee', displayName: '周主任' },
  { id: 'u-property', userName: 'property', displayName: '吴经理' },
];

type Call = [string, RequestInit | undefined];

function renderPage() {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === '/api/org') return json(org);
    if (url === '/api/communities/c1/bodies') return json([company]);
    if (url === '/api/communities/c1/staff') return json(staff);
    if (url === '/api/communities/c1/four-party-invitees')
      return json([{ party: 'partyOrganisation', name: '刘书记', userId: 'u-sec', role: 'member', chair: true }]);
    if (init?.method === 'PUT') return json({ ...company, ...JSON.parse(String(init.body)) });
    return json({ ...company, termState: 'current' }, 201);
  });
  vi.stubGlobal('fetch', fetchMock);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(['me'], {
    id: 'u-sec',
    userName: 'secretary',
    displayName: '刘书记',
    roles: [{ role: 'partySecretary', roleName: '社区党组织书记', orgUnitId: 'c1', orgUnitName: '幸福里社区' }],
  });
  render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <App>
          <BodiesPage />
        </App>
      </AuthProvider>
    </QueryClientProvider>,
  );
  const sent = (method: string) =>
    (fetchMock.mock.calls as unknown as Call[]).find(([, i]) => i?.method === method) as Call | undefined;
  return { sent };
}

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => vi.unstubAllGlobals());

describe('BodiesPage', () => {
  it('flags a term that ran out, and edits the name and contact of a body (its kind stays)', async () => {
    const { sent } = renderPage();
    const table = await screen.findByTestId('bodies');
    expect(table).toHaveTextContent('安居物业');
    expect(screen.getByTestId('body-term-b1')).toHaveTextContent('任期已届满，未换届');
    expect(await screen.findByTestId('four-party-invitees')).toHaveTextContent('社区党组织：刘书记 (主持)');

    await userEvent.click(screen.getByTestId('body-edit-b1'));
    const name = await screen.findByDisplayValue('安居物业');
    await userEvent.clear(name);
    await userEvent.type(name, '安居物业服务有限公司');
    const contact = screen.getByDisplayValue('010-12345678');
    await userEvent.clear(contact);
    await userEvent.type(contact, '吴经理 13800000000');
    await userEvent.click(screen.getByTestId('body-save'));
    await vi.waitFor(() => expect(sent('PUT')).toBeDefined());
    const [url, init] = sent('PUT')!;
    expect(url).toBe('/api/bodies/b1');
    expect(JSON.parse(String(init!.body))).toEqual({
      name: '安居物业服务有限公司',
      contact: '吴经理 13800000000',
      partyOrganisation: null,
    });
  }, 20000);

  it('links a member of a new contract period to a staff account picked from the community, filling the name', async () => {
    const { sent } = renderPage();
    await userEvent.click(await screen.findByTestId('body-term-new-b1'));
    fireEvent.change(await screen.findByTestId('term-starts'), { target: { value: '2026-01-01' } });
    fireEvent.change(screen.getByTestId('term-ends'), { target: { value: '2028-12-31' } });
    const account = screen.getByTestId('term-member-account-0');
    fireEvent.mouseDown(within(account).getByRole('combobox'));
    await userEvent.click(await screen.findByTitle('吴经理（property）'));
    expect(screen.getByTestId('term-member-name-0')).toHaveValue('吴经理');
    await userEvent.click(screen.getByTestId('term-save'));
    await vi.waitFor(() => expect(sent('POST')).toBeDefined());
    const [url, init] = sent('POST')!;
    expect(url).toBe('/api/bodies/b1/terms');
    expect(JSON.parse(String(init!.body))).toEqual({
      startsOn: '2026-01-01',
      endsOn: '2028-12-31',
      members: [{ name: '吴经理', position: 'chair', userId: 'u-property', phone: null, delegate: false }],
    });
  }, 20000);

  it('offers a party secretary their own community and an administrator the communities under them', () => {
    expect(bodyCommunities(org, [{ role: 'partySecretary', orgUnitId: 'c1' }]).map((n) => n.id)).toEqual(['c1']);
    expect(bodyCommunities(org, [{ role: 'admin', orgUnitId: 's' }]).map((n) => n.id)).toEqual(['c1', 'c2']);
    expect(bodyCommunities(org, [{ role: 'ownersCommittee', orgUnitId: 'c1' }])).toEqual([]);
  });
});
