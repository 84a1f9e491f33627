import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import i18n from '../../shared/i18n';
import '../strings';
import type { Me } from '../../shared/auth';
import { areasFor } from '../access';
import type { HomeClaim } from '../consoleApi';
import { json } from '../../shared/testResponses';
import { VerificationPage } from './VerificationPage';

const ownerClaim: HomeClaim = {
  id: 'k1',
  status: 'pending',
  relation: 'owner',
  unitId: 'u1',
  unit: '1-902',
  buildingId: 'b1',
  building: '1号楼',
  community: '幸福社区',
  claimantName: '沈白',
  claimantPhone: '*******0040',
  note: '手机号与名册不一致，需人工核实。',
  createdAt: '2026-12-06T02:00:00Z',
  decidedAt: null,
  refusalReason: null,
  owner: false,
  registerOwners: [
    { id: 'o1', name: '沈红', hasAccount: true },
    { id: 'o2', name: '沈白', hasAccount: false },
  ],
};
const tenantClaim: HomeClaim = {
  ...ownerClaim,
  id: 'k2',
  relation: 'tenant',
  unit: '1-903',
  claimantName: '李租',
  claimantPhone: '*******0041',
  note: null,
  registerOwners: [],
};

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => vi.unstubAllGlobals());

function renderPage() {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === '/api/claims') return json([ownerClaim, tenantClaim]);
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    return json({ ...ownerClaim, status: url.endsWith('/verify') ? 'verified' : 'refused', ...body });
  });
  vi.stubGlobal('fetch', fetchMock);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <App>
        <VerificationPage />
      </App>
    </QueryClientProvider>,
  );
  const posts = () =>
    (fetchMock.mock.calls as unknown as [string, RequestInit | undefined][]).filter(([, i]) => i?.method === 'POST');
  return { posts };
}

describe('VerificationPage', () => {
  it("lists the claims with the masked phone, the home and the relation; verifying an owner's claim names the register owner without an account", async () => {
    const { posts } = renderPage();
    const table = await screen.findByTestId('claims');
    expect(table).toHaveTextContent('沈白');
    expect(table).toHaveTextContent('*******0040');
    expect(table).not.toHaveTextContent('13900000040');
    expect(table).toHaveTextContent('幸福社区 1号楼 1-902');
    expect(table).toHaveTextContent('业主');
    expect(table).toHaveTextContent('租户');
    await userEvent.click(screen.getByTestId('claim-verify-k1'));
    const ok = await screen.findByTestId('confirm-ok');
    expect(document.body).toHaveTextContent('确定核验通过沈白对幸福社区 1号楼 1-902的申请？');
    expect(document.body).toHaveTextContent('沈白”，可以参加业主表决');
    expect(posts()).toHaveLength(0); // nothing before the confirmation
    await userEvent.click(ok);
    await vi.waitFor(() => expect(posts()).toHaveLength(1));
    const [url, init] = posts()[0];
    expect(url).toBe('/api/claims/k1/verify');
    expect(JSON.parse(String(init!.body))).toEqual({ ownerId: 'o2' });
  }, 20000);

  it('refuses only with a reason, after the confirmation, and sends the reason', async () => {
    const { posts } = renderPage();
    await userEvent.click(await screen.findByTestId('claim-refuse-k2'));
    await userEvent.click(await screen.findByTestId('refuse-ok'));
    expect(await screen.findByText('请填写驳回理由')).toBeInTheDocument();
    await userEvent.type(screen.getByTestId('refuse-reason'), '查无此租约');
    await userEvent.click(screen.getByTestId('refuse-ok'));
    await userEvent.click(await screen.findByTestId('confirm-ok'));
    await vi.waitFor(() => expect(posts()).toHaveLength(1));
    const [url, init] = posts()[0];
    expect(url).toBe('/api/claims/k2/refuse');
    expect(JSON.parse(String(init!.body))).toEqual({ reason: '查无此租约' });
  }, 20000);

  it('is in the menu of grid workers, the property company and administrators, not of the owners committee', () => {
    const me = (role: string): Me =>
      ({
        id: 'u',
        userName: 'u',
        displayName: 'u',
        roles: [{ role, roleName: role, orgUnitId: 'c1', orgUnitName: 'c' }],
      }) as Me;
    expect(areasFor(me('gridWorker'))).toContain('verification');
    expect(areasFor(me('propertyCompany'))).toContain('verification');
    expect(areasFor(me('admin'))).toContain('verification');
    expect(areasFor(me('ownersCommittee'))).not.toContain('verification');
  });
});
