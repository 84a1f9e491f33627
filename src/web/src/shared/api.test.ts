import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, problemMessage } from './api';

afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('throws the Problem Details of a failed request, with field errors in the message', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({
      status: 400, title: '请求有误', detail: '请检查以下字段。', errors: { title: ['请填写标题。'] },
    }), { status: 400, headers: { 'Content-Type': 'application/problem+json' } })));
    const error = (await api.post('/api/matters', {}).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(problemMessage(error)).toBe('请检查以下字段。 请填写标题。');
  });

  it('sends the CSRF header on writes but not on reads', async () => {
    const fetchMock = vi.fn(async () => new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    await api.get('/api/tasks');
    await api.post('/api/tasks/1/complete', { outcome: 'minor' });
    const calls = fetchMock.mock.calls as unknown as [string, RequestInit][];
    expect((calls[0][1].headers as Record<string, string>)['X-Deliberate-Csrf']).toBeUndefined();
    expect((calls[1][1].headers as Record<string, string>)['X-Deliberate-Csrf']).toBe('1');
  });
});
