import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useWrite } from '../../shared/useWrite';
import { residentApi } from '../residentApi';

/** Asks the public receipt endpoint whether the ballot with this code was counted (and, once closed, as what). */
export function ReceiptCheck({ ballotId, code }: { ballotId: string; code: string }) {
  const { t } = useTranslation();
  // A question, not a change; asked on a press like a write, so it shares the write's shape.
  const ask = useWrite(() => residentApi.checkReceipt(ballotId, code));
  const check = () => void ask.run();
  const r = ask.data;
  const counted = r ? t(r.counted ? 'resident.ballot.counted' : 'resident.ballot.notCounted') : '';
  const answer = ask.error
    ? { ok: false, text: ask.error }
    : r && {
        ok: r.counted,
        text:
          r.counted && r.choice
            ? `${counted} ${t('resident.ballot.countedAs', { choice: t(`resident.ballot.${r.choice}`) })}`
            : counted,
      };
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
