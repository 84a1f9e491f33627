import { App } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { problemMessage } from '../../shared/api';

interface MeetingAction {
  /** Which button is busy while it runs. */
  key: string;
  action: () => Promise<unknown>;
  done?: string;
}

/**
 * Runs one change to a meeting as a react-query mutation and refreshes the meeting and its ballots; a refusal shows
 * the server's Problem Details message. `run` resolves to whether it worked, so that a form can clear itself.
 */
export function useMeetingAction(meetingId: string) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: ({ action }: MeetingAction) => action(),
    onSuccess: async (_, { done }) => {
      if (done) message.success(done);
      await client.invalidateQueries({ queryKey: ['meetings', meetingId] });
      await client.invalidateQueries({ queryKey: ['ballots'] });
    },
    onError: (e) => message.error({ content: problemMessage(e), className: 'problem-message' }),
  });
  const run = (key: string, action: () => Promise<unknown>, done?: string): Promise<boolean> =>
    mutation.mutateAsync({ key, action, done }).then(
      () => true,
      () => false,
    );
  const busy = mutation.isPending ? (mutation.variables?.key ?? null) : null;
  return { run, busy };
}
