import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, newRequestKey, problemMessage } from './api';

afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('throws the Problem Details of a failed request, with field errors in the message', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({
              status: 400,
              title: '请求有误',
              detail: '请检查以下字段。',
              errors: { title: ['请填写标题。'] },
            }),
            { status: 400, headers: { 'Content-Type': 'application/problem+json' } },
          ),
      ),
    );
    const error = (await api.post('/api/matters', {}).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(problemMessage(error)).toBe('请检查以下字段。 请填写标题。');
  });

  it('sends the CSRF header on writes but not on reads', async () => {
    const fetchMock = vi.fn(
      async () => new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    );
    vi.stubGlobal('fetch', fetchMock);
    await api.get('/api/tasks');
    await api.post('/api/tasks/1/complete', { outcome: 'minor' });
    const calls = fetchMock.mock.calls as unknown as [string, RequestInit][];
    expect((calls[0][1].headers as Record<string, string>)['X-Deliberate-Csrf']).toBeUndefined();
    expect((calls[1][1].headers as Record<string, string>)['X-Deliberate-Csrf']).toBe('1');
  });

  it('sends a create again with the same Idempotency-Key when the network lost it, but not after an answer', async () => {
    let calls = 0;
    const fetchMock = vi.fn(async () => {
      calls++;
      if (calls === 1) throw new TypeError('Failed to fetch');
      return new Response('{"id":"m1"}', { status: 201, headers: { 'Content-Type': 'application/json' } });
    });
    vi.stubGlobal('fetch', fetchMock);
    const key = newRequestKey();
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(await api.create<{ id: string }>('/api/matters', { title: 't' }, key)).toEqual({ id: 'm1' });
    const sent = (fetchMock.mock.calls as unknown as [string, RequestInit][]).map(
      (c) => (c[1].headers as Record<string, string>)['Idempotency-Key'],
    );
    expect(sent).toEqual([key, key]);

    const refused = vi.fn(
      async () =>
        new Response('{"status":422}', { status: 422, headers: { 'Content-Type': 'application/problem+json' } }),
    );
    vi.stubGlobal('fetch', refused);
    await expect(api.create('/api/matters', {}, key)).rejects.toBeInstanceOf(ApiError);
    expect(refused).toHaveBeenCalledTimes(1);
  });
});
