import { describe, expect, it } from 'vitest';
import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useWrite } from './useWrite';

const wrapper = ({ children }: { children: ReactNode }) => (
  <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>
);

describe('useWrite', () => {
  it('is no longer busy once refused, even while the refusal is still on screen', async () => {
    // antd's message.error returns a thenable that settles only when the message closes (3 s); a refused write
    // must not wait for it, or its button stays loading and ignores the next click.
    const messageStillShowing = { then: () => undefined };
    const { result } = renderHook(
      () =>
        useWrite(() => Promise.reject(new Error('发通知前请先确定记录人、地点。')), {
          busyKey: () => 'convene',
          onError: (() => messageStillShowing) as unknown as (m: string) => void,
        }),
      { wrapper },
    );
    let worked: boolean | undefined;
    await act(async () => {
      worked = await result.current.run();
    });
    expect(worked).toBe(false);
    await waitFor(() => expect(result.current.busyKey).toBeNull());
    expect(result.current.error).toBe('发通知前请先确定记录人、地点。');
  });
});
