import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import i18n from '../../shared/i18n';
import '../strings';
import type * as Api from '../../shared/api-types';
import { OrgPage } from './OrgPage';
import { json } from '../../shared/testResponses';

type Node = Omit<Api.SchemaAdminOrgUnitView, 'retiredAt'> & { retiredAt: string | null };
const org: Node[] = [
  { id: 's', parentId: null, level: 'street', name: '东湖街道', retiredAt: null, version: 'v-s' },
  { id: 'c', parentId: 's', level: 'community', name: '幸福社区', retiredAt: null, version: 'v-c' },
  { id: 'g', parentId: 'c', level: 'grid', name: '第一网格', retiredAt: null, version: 'v-g' },
  { id: 'b', parentId: 'g', level: 'building', name: '1号楼', retiredAt: null, version: 'v-b' },
  { id: 'old', parentId: 's', level: 'community', name: '旧社区', retiredAt: '2026-01-01T00:00:00Z', version: 'v-old' },
  { id: 'oldg', parentId: 'old', level: 'grid', name: '旧网格', retiredAt: '2026-01-01T00:00:00Z', version: 'v-oldg' },
];

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <App>
        <OrgPage />
      </App>
    </QueryClientProvider>,
  );
}

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => vi.unstubAllGlobals());

describe('OrgPage', () => {
  it('offers a new building under a grid, nothing new under a building, and shows retired nodes only when asked', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(org)),
    );
    renderPage();
    await userEvent.click(await screen.findByTestId('org-node-第一网格'));
    expect(screen.getByTestId('org-add')).toHaveTextContent('新建楼栋');
    await userEvent.click(screen.getByTestId('org-node-1号楼'));
    expect(screen.queryByTestId('org-add')).toBeNull();
    expect(screen.getByTestId('org-rename')).toBeInTheDocument();
    expect(screen.queryByTestId('org-node-旧社区')).toBeNull();
    await userEvent.click(screen.getByTestId('org-show-retired'));
    expect(screen.getByTestId('org-node-旧社区')).toHaveTextContent('已撤销');
  }, 20000);

  it('shows a node just added under its parent, even under a node that had no children', async () => {
    let tree: Node[] = [
      ...org,
      { id: 'c2', parentId: 's', level: 'community', name: '和平社区', retiredAt: null, version: 'v-c2' },
    ];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) => {
        if (init?.method === 'POST') {
          const added: Node = {
            id: 'g2',
            parentId: 'c2',
            level: 'grid',
            name: '和平一网格',
            retiredAt: null,
            version: 'v-g2',
          };
          tree = [...tree, added];
          return json(added, 201);
        }
        return json(tree);
      }),
    );
    renderPage();
    await userEvent.click(await screen.findByTestId('org-node-和平社区'));
    await userEvent.click(screen.getByTestId('org-add'));
    await userEvent.type(await screen.findByTestId('org-name'), '和平一网格');
    await userEvent.click(screen.getByTestId('org-save'));
    expect(await screen.findByTestId('org-node-和平一网格')).toBeVisible();
    // the community is still the chosen node: a second click keeps it so, for the next grid
    await userEvent.click(screen.getByTestId('org-node-和平社区'));
    expect(screen.getByTestId('org-add')).toHaveTextContent('新建网格');
  }, 20000);

  it('asks before retiring, saying what retiring means, and shows the refusal as the server words it', async () => {
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'POST'
        ? json({ status: 409, code: 'conflict', title: '该节点刚被他人修改，请刷新后重试。' }, 409)
        : json(org),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderPage();
    await userEvent.click(await screen.findByTestId('org-node-幸福社区'));
    await userEvent.click(screen.getByTestId('org-retire'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/下级 2 个节点将不再出现在选择列表中/)).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
    await userEvent.click(screen.getByTestId('confirm-ok'));
    expect(await screen.findByText('该节点刚被他人修改，请刷新后重试。')).toBeInTheDocument();
    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(post?.[0]).toBe('/api/admin/org/c/retire');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ version: 'v-c' });
  }, 20000);

  it('restores a retired node after asking, with the version it shows', async () => {
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'POST' ? json({ ...org[4], retiredAt: null, version: 'v-old2' }) : json(org),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderPage();
    await userEvent.click(await screen.findByTestId('org-show-retired'));
    await userEvent.click(await screen.findByTestId('org-node-旧社区'));
    expect(screen.queryByTestId('org-retire')).toBeNull();
    await userEvent.click(screen.getByTestId('org-restore'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/一同撤销的下级 1 个节点将恢复使用/)).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(true));
    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(post?.[0]).toBe('/api/admin/org/old/restore');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ version: 'v-old' });
  }, 20000);

  it('offers no restore under a parent still retired', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(org)),
    );
    renderPage();
    await userEvent.click(await screen.findByTestId('org-show-retired'));
    await userEvent.click(await screen.findByTestId('org-node-旧网格'));
    expect(screen.getByTestId('org-restore')).toBeDisabled();
    expect(screen.getByText('上级节点已撤销，请先恢复上级。')).toBeInTheDocument();
  }, 20000);

  it('renames with the version it shows, and on a conflict says so, closes the form and reloads the tree', async () => {
    let tree = org;
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) => {
      if (init?.method === 'PUT') {
        tree = org.map((n) => (n.id === 'g' ? { ...n, name: '一网格', version: 'v-g2' } : n)); // someone else's rename
        return json({ status: 409, code: 'conflict', detail: '该节点已被他人修改，请刷新后重试。' }, 409);
      }
      return json(tree);
    });
    vi.stubGlobal('fetch', fetchMock);
    renderPage();
    await userEvent.click(await screen.findByTestId('org-node-第一网格'));
    await userEvent.click(screen.getByTestId('org-rename'));
    const name = await screen.findByTestId('org-name');
    await userEvent.clear(name);
    await userEvent.type(name, '网格一');
    await userEvent.click(screen.getByTestId('org-save'));
    expect(await screen.findByText('该节点已被他人修改，请刷新后重试。')).toBeInTheDocument();
    const put = fetchMock.mock.calls.find(([, init]) => init?.method === 'PUT');
    expect(put?.[0]).toBe('/api/admin/org/g/name');
    expect(JSON.parse(String(put?.[1]?.body))).toEqual({ name: '网格一', version: 'v-g' });
    expect(await screen.findByTestId('org-node-一网格')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('org-name')).toBeNull());
  }, 20000);
});
