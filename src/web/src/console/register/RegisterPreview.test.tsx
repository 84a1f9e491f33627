import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../shared/testPolyfills';
import i18n from '../../shared/i18n';
import '../strings';
import type * as Api from '../../shared/api-types';
import { RegisterPreviewView, registerCommunities } from './RegisterPage';
import { json } from '../../shared/testResponses';

const preview = (problems: Api.SchemaRegisterProblemView[]): Api.SchemaRegisterPreviewView => ({
  id: 'p1',
  communityId: 'c1',
  fileName: '幸福社区业主名册.xlsx',
  rows: 3,
  problems,
  added: 2,
  changed: 1,
  removed: 0,
  unchanged: 0,
  diff: [
    { change: 'added', building: '1号楼', number: '1-1-101', before: null, after: '89.50 ㎡ · 张三' },
    { change: 'changed', building: '1号楼', number: '1-1-102', before: '90.00 ㎡ · 李四', after: '90.00 ㎡ · 王五' },
  ],
  diffTruncated: false,
  newBuildings: [],
  totals: { units: 3, heads: 3, area: 269.5 },
  current: { units: 1, heads: 1, area: 90 },
  expiresAt: '2026-03-01T08:30:00Z',
  removalWarning: null,
  removalsNeedConfirmation: false,
});

const applied: Api.SchemaRegisterImportView = {
  id: 'i1',
  sequence: 2,
  fileName: '幸福社区业主名册.xlsx',
  appliedAt: '2026-03-01T08:05:00Z',
  appliedById: 'u1',
  added: 2,
  changed: 1,
  removed: 0,
  totals: { units: 3, heads: 3, area: 269.5 },
};

function renderIt(p: Api.SchemaRegisterPreviewView, onApplied = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <App>
        <RegisterPreviewView communityId="c1" preview={p} onApplied={onApplied} />
      </App>
    </QueryClientProvider>,
  );
  return onApplied;
}

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => vi.unstubAllGlobals());

describe('the register preview', () => {
  it('lists every problem by row and column and keeps 确认导入 disabled', async () => {
    const fetchMock = vi.fn(async () => json({}));
    vi.stubGlobal('fetch', fetchMock);
    renderIt(
      preview([
        { row: 3, column: '专有部分面积', code: 'areaNotPositive', message: '第 3 行：专有部分面积必须大于 0。' },
        { row: 4, column: '手机号', code: 'badPhone', message: '第 4 行：手机号不是有效的手机号码。' },
      ]),
    );
    expect(screen.getByTestId('register-has-problems')).toHaveTextContent('发现 2 个问题');
    const problems = screen.getByTestId('register-problems');
    expect(problems).toHaveTextContent('专有部分面积');
    expect(problems).toHaveTextContent('第 4 行：手机号不是有效的手机号码。');
    expect(screen.getByTestId('register-apply')).toBeDisabled();
    expect(screen.getByTestId('register-counts')).toHaveTextContent('新增 2，变更 1，移除 0');
    // Units and heads in force against those in the file, and the area with two decimals.
    expect(screen.getAllByText('现有 1，文件 3')).toHaveLength(2);
    expect(screen.getByText('现有 90.00，文件 269.50')).toBeInTheDocument();
    expect(screen.getByTestId('register-diff')).toHaveTextContent('90.00 ㎡ · 王五');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('without problems asks first, saying what changes, then applies that preview', async () => {
    const fetchMock = vi.fn(async () => json(applied));
    vi.stubGlobal('fetch', fetchMock);
    const onApplied = renderIt(preview([]));
    expect(screen.queryByTestId('register-problems')).toBeNull();
    await userEvent.click(screen.getByTestId('register-apply'));
    expect(await screen.findByText(/将新增 2 户、变更 1 户、移除 0 户/)).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await vi.waitFor(() => expect(onApplied).toHaveBeenCalledWith(applied, undefined));
    const [url, init] = (fetchMock.mock.calls as unknown as [string, RequestInit][])[0];
    expect(url).toBe('/api/communities/c1/register/previews/p1/apply');
    expect(init.method).toBe('POST');
  }, 20000);

  it('warns of the units a preview retires and asks again, sending their number, before retiring a large share', async () => {
    const fetchMock = vi.fn(async () => json(applied));
    vi.stubGlobal('fetch', fetchMock);
    const warning = '本次导入将注销 36 套房屋（占在册房屋的 75%）。重新导入按整个社区比对：文件中没有的房屋都会注销。';
    renderIt({ ...preview([]), removed: 36, removalWarning: warning, removalsNeedConfirmation: true });
    expect(screen.getByTestId('register-removal-warning')).toHaveTextContent('将注销 36 套房屋');
    await userEvent.click(screen.getByTestId('register-apply'));
    await userEvent.click(await screen.findByTestId('confirm-ok'));
    expect((await screen.findAllByText('确定注销 36 套房屋？')).length).toBeGreaterThan(0);
    expect(fetchMock).not.toHaveBeenCalled();
    await userEvent.click((await screen.findAllByText('确认注销 36 套并导入'))[0]);
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());
    const [url] = (fetchMock.mock.calls as unknown as [string, RequestInit][])[0];
    expect(url).toBe('/api/communities/c1/register/previews/p1/apply?confirmRemovals=36');
  }, 20000);

  it('shows the server’s refusal when another import came first', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json({ status: 409, code: 'registerChanged', title: '预检之后名册已被另一次导入修改，请重新上传。' }, 409),
      ),
    );
    renderIt(preview([]));
    await userEvent.click(screen.getByTestId('register-apply'));
    await userEvent.click(await screen.findByTestId('confirm-ok'));
    expect(await screen.findByText('预检之后名册已被另一次导入修改，请重新上传。')).toBeInTheDocument();
  }, 20000);
});

describe('the communities whose register one keeps', () => {
  const nodes = [
    { id: 's', parentId: null, level: 'street' as const, name: '街道' },
    { id: 'c1', parentId: 's', level: 'community' as const, name: '幸福社区' },
    { id: 'c2', parentId: 's', level: 'community' as const, name: '和平社区' },
  ];
  it('are those under a keeper’s role, not under another role', () => {
    expect(registerCommunities(nodes, [{ role: 'ownersCommittee', orgUnitId: 'c1' }]).map((n) => n.id)).toEqual(['c1']);
    expect(registerCommunities(nodes, [{ role: 'admin', orgUnitId: 's' }]).map((n) => n.id)).toEqual(['c1', 'c2']);
    expect(registerCommunities(nodes, [{ role: 'gridWorker', orgUnitId: 'c2' }])).toEqual([]);
  });
});
