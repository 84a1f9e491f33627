import { useState } from 'react';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, problemMessage } from '../../shared/api';

/** Asks the public receipt endpoint whether the ballot with this code was counted (and, once closed, as what). */
export function ReceiptCheck({ ballotId, code }: { ballotId: string; code: string }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | null>(null);
  async function check() {
    try {
      // After the close the answer also names the choice the ballot was counted as.
      const r = await api.get<{ counted: boolean; choice?: string | null }>(
        `/api/ballots/${ballotId}/receipts/${encodeURIComponent(code)}`,
      );
      const text = t(r.counted ? 'resident.ballot.counted' : 'resident.ballot.notCounted');
      setAnswer({
        ok: r.counted,
        text:
          r.counted && r.choice
            ? `${text} ${t('resident.ballot.countedAs', { choice: t(`resident.ballot.${r.choice}`) })}`
            : text,
      });
    } catch (e) {
      setAnswer({ ok: false, text: problemMessage(e) });
    }
  }
  return (
    <>
      <Button block onClick={check} data-testid="receipt-check">
        {t('resident.ballot.receiptCheck')}
      </Button>
      {answer && (
        <Alert
          style={{ marginTop: 8 }}
          type={answer.ok ? 'success' : 'warning'}
          showIcon
          title={answer.text}
          data-testid="receipt-answer"
        />
      )}
    </>
  );
}
