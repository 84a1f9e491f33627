import { App } from 'antd';
import { ballotKeys, meetingKeys } from '../../shared/queryKeys';
import { useWrite } from '../../shared/useWrite';
import { useConfirm, type ConfirmOptions } from '../../shared/confirm';

interface MeetingAction {
  /** Which button is busy while it runs. */
  key: string;
  action: () => Promise<unknown>;
  done?: string;
}

/**
 * Runs one change to a meeting (a call of consoleApi's) as a write that refreshes the meeting and its ballots; a
 * refusal shows the server's Problem Details message. `run` resolves to whether it worked, so that a form can clear
 * itself. With `ask`, it asks first (for what cannot be undone) and resolves to false if the person cancels.
 */
export function useMeetingAction(meetingId: string) {
  const { message } = App.useApp();
  const write = useWrite(({ action }: MeetingAction) => action(), {
    busyKey: ({ key }) => key,
    onSuccess: (_, { done }) => {
      if (done) message.success(done);
    },
    invalidate: [meetingKeys.one(meetingId), ballotKeys.all],
    onError: (text) => message.error({ content: text, className: 'problem-message' }),
  });
  const confirm = useConfirm();
  const run = async (key: string, action: () => Promise<unknown>, done?: string, ask?: ConfirmOptions) =>
    ask && !(await confirm(ask)) ? false : write.run({ key, action, done });
  return { run, busy: write.busyKey };
}
