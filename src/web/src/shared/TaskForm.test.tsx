import { afterEach, describe, expect, it, vi } from 'vitest';
import { render as draw, screen, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactElement } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import userEvent from '@testing-library/user-event';
import './testPolyfills';
import { TaskForm } from './TaskForm';
import type { InboxTask } from './types';
import i18n from './i18n';

// The form's write is a react-query mutation and it asks through antd's App: both wrap it, as in the app.
const render = (ui: ReactElement) =>
  draw(
    <AntApp>
      <QueryClientProvider client={new QueryClient()}>{ui}</QueryClientProvider>
    </AntApp>,
  );

// Only what the form reads; the rest of a task does not matter here.
const hearing = {
  id: 't1',
  title: '网格听事：路灯不亮',
  description: '请在 24 小时内受理。',
  role: 'gridWorker',
  roleName: '网格员',
  form: [
    { name: 'verified', label: '已到现场核实', type: 'boolean', required: true, options: null, forOutcomes: null },
    { name: 'note', label: '核实情况', type: 'textarea', required: true, options: null, forOutcomes: null },
    { name: 'days', label: '预计天数', type: 'number', required: false, options: null, forOutcomes: null },
    {
      name: 'reason',
      label: '退回原因',
      type: 'select',
      required: true,
      options: ['重复', '不属实'],
      forOutcomes: ['reject'],
    },
  ],
  outcomes: [
    { name: 'major', label: '大事：提交议事', confirm: '将提交社区议事会议，生成议题。' },
    { name: 'reject', label: '退回提事人', confirm: null },
  ],
  overdue: false,
  createdAt: '2026-03-01T00:00:00Z',
  status: 'open',
} as InboxTask;

afterEach(() => vi.unstubAllGlobals());

describe('TaskForm', () => {
  it('draws every field of the task form and one button per outcome', async () => {
    await i18n.changeLanguage('zh-CN');
    render(<TaskForm task={hearing} />);
    expect(screen.getByLabelText('已到现场核实')).toHaveAttribute('type', 'checkbox');
    expect(screen.getByLabelText(/核实情况/).tagName).toBe('TEXTAREA');
    expect(screen.getByLabelText(/预计天数/)).toHaveAttribute('type', 'number');
    expect(screen.getByLabelText(/退回原因/).tagName).toBe('SELECT');
    expect(screen.getByTestId('outcome-major')).toHaveTextContent('大事：提交议事');
    expect(screen.getByTestId('outcome-reject')).toHaveTextContent('退回提事人');
  });

  it('refuses an outcome while its required fields are blank, without calling the server', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    render(<TaskForm task={hearing} />);
    await userEvent.click(screen.getByTestId('outcome-major'));
    expect(screen.getByTestId('task-error')).toHaveTextContent('请填写：核实情况');
    expect(screen.getByTestId('task-error')).not.toHaveTextContent('退回原因'); // asked only for "reject"
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('says once which required fields are blank, and stops saying it as they are filled', async () => {
    vi.stubGlobal('fetch', vi.fn());
    render(<TaskForm task={hearing} />);
    await userEvent.click(screen.getByTestId('outcome-major'));
    expect(screen.getByTestId('task-error')).toHaveTextContent('请填写：核实情况');
    expect(screen.queryByText('必填')).toBeNull(); // one message, not a second one beside the field
    await userEvent.type(screen.getByLabelText(/核实情况/), '确有此事');
    expect(screen.queryByTestId('task-error')).toBeNull();
  });

  it('sends nothing when the person cancels the confirmation', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    render(<TaskForm task={hearing} />);
    await userEvent.type(screen.getByLabelText(/核实情况/), '确有此事');
    await userEvent.selectOptions(screen.getByLabelText(/退回原因/), '重复');
    await userEvent.click(screen.getByTestId('outcome-reject'));
    expect(await screen.findByText(/将按「退回提事人」办理/)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('confirm-cancel'));
    expect(fetchMock).not.toHaveBeenCalled();
  }, 15_000); // typing two fields and a dialog: slow on a busy test machine, not a measure

  it('sends the outcome with the values it asks for, numbers as numbers', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response(JSON.stringify({ ...hearing, status: 'completed' }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const onCompleted = vi.fn();
    render(<TaskForm task={hearing} onCompleted={onCompleted} />);
    await userEvent.click(screen.getByLabelText('已到现场核实'));
    await userEvent.type(screen.getByLabelText(/核实情况/), '确有此事');
    await userEvent.type(screen.getByLabelText(/预计天数/), '3');
    await userEvent.click(screen.getByTestId('outcome-major'));
    // It asks first, saying what the outcome sets going; nothing is sent before the person agrees.
    expect(await screen.findByText(/将提交社区议事会议，生成议题。提交后不能撤回。/)).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(onCompleted).toHaveBeenCalledOnce());
    const [url, init] = (fetchMock.mock.calls as unknown as [string, RequestInit][])[0];
    expect(url).toBe('/api/tasks/t1/complete');
    expect(JSON.parse(init.body as string)).toEqual({
      outcome: 'major',
      values: { verified: true, note: '确有此事', days: 3 },
    });
    expect(onCompleted).toHaveBeenCalledOnce();
  });

  it("shows the server's Problem Details message and marks the field it names", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({
              status: 400,
              detail: '请检查以下字段。',
              errors: { 'values.note': ['“核实情况”不能超过 4000 字。'] },
            }),
            { status: 400, headers: { 'Content-Type': 'application/problem+json' } },
          ),
      ),
    );
    render(<TaskForm task={hearing} />);
    await userEvent.type(screen.getByLabelText(/核实情况/), 'x');
    await userEvent.click(screen.getByTestId('outcome-major'));
    await userEvent.click(await screen.findByTestId('confirm-ok'));
    expect(await screen.findByTestId('task-error')).toHaveTextContent('请检查以下字段。');
    expect(screen.getByTestId('field-error-note')).toHaveTextContent('不能超过 4000 字');
  });
});
