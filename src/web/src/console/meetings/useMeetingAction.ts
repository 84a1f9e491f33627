import { useState } from 'react';
import { App } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { problemMessage } from '../../shared/api';

/**
 * Runs one change to a meeting and refreshes it; a refusal shows the server's Problem Details message.
 * Returns whether it worked, so that a form can clear itself.
 */
export function useMeetingAction(meetingId: string) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  async function run(key: string, action: () => Promise<unknown>, done?: string): Promise<boolean> {
    setBusy(key);
    try {
      await action();
      if (done) message.success(done);
      await client.invalidateQueries({ queryKey: ['meetings', meetingId] });
      await client.invalidateQueries({ queryKey: ['ballots'] });
      return true;
    } catch (e) {
      message.error({ content: problemMessage(e), className: 'problem-message' });
      return false;
    } finally {
      setBusy(null);
    }
  }
  return { run, busy };
}
