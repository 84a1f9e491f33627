// The one way to write: a react-query mutation that refreshes what it changed and keeps the refusal's message.
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { problemMessage } from './api';

export interface WriteOptions<V, R> {
  /** The keys to refresh after it worked (each also refreshes the keys it is a prefix of). */
  invalidate?: readonly QueryKey[] | ((result: R, vars: V) => readonly QueryKey[]);
  /** Before the refresh. */
  onSuccess?: (result: R, vars: V) => unknown;
  /** The refusal, as `problemMessage` words it (the console shows it with message.error; forms show `error`). */
  onError?: (message: string, error: unknown) => void;
  /** Which of several buttons is busy while it runs. */
  busyKey?: (vars: V) => string;
}

/**
 * `run(vars)` resolves to whether it worked, so that a form can clear itself; `busy` is true (and `busyKey` names
 * the button) while it runs; `error` is the last refusal's message until the next run.
 */
export function useWrite<V = void, R = unknown>(write: (vars: V) => Promise<R>, options: WriteOptions<V, R> = {}) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: write,
    onSuccess: async (result, vars) => {
      await options.onSuccess?.(result, vars);
      const keys = typeof options.invalidate === 'function' ? options.invalidate(result, vars) : options.invalidate;
      for (const queryKey of keys ?? []) await client.invalidateQueries({ queryKey });
    },
    // Not returned: antd's message.error gives a thenable that settles when the message closes, and react-query
    // would keep the write pending (its button loading, deaf to clicks) until then.
    onError: (e) => {
      options.onError?.(problemMessage(e), e);
    },
  });
  const run = (vars: V): Promise<boolean> =>
    mutation.mutateAsync(vars).then(
      () => true,
      () => false,
    );
  return {
    run,
    busy: mutation.isPending,
    busyKey: mutation.isPending && options.busyKey ? options.busyKey(mutation.variables as V) : null,
    /** The last answer. */
    data: mutation.data,
    error: mutation.error ? problemMessage(mutation.error) : null,
    failure: mutation.error,
    reset: mutation.reset,
  };
}
