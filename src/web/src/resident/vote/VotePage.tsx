// 民主定事 on a phone: the owner reads the ballot, chooses, confirms, and gets a receipt code to keep.
import { useState } from 'react';
import { useParams } from 'react-router';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { formatDateTime, formatMonthDay, formatUntil } from '../../shared/format';
import { ballotKeys } from '../../shared/queryKeys';
import type { Ballot } from '../../shared/types';
import { useWrite } from '../../shared/useWrite';
import { residentApi, useBallot, useMyVote } from '../residentApi';
import { Card, Loaded } from '../ui';
import { keepReceipt, keptReceiptFor, type KeptReceipt } from './receipts';
import { ReceiptCheck } from './ReceiptCheck';
import { RuleText } from '../../shared/RuleText';
import { Proposal } from './Proposal';

const CHOICES = ['agree', 'disagree', 'abstain'] as const;

export function VotePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const userId = useAuth().me?.id ?? '';
  const ballot = useBallot(id);
  const mine = useMyVote(id);
  const [choice, setChoice] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<KeptReceipt | undefined>(() => keptReceiptFor(userId, id));
  // 'vote' after a first vote, 'revote' after a change: the owner must see which happened.
  const [justVoted, setJustVoted] = useState<false | 'vote' | 'revote'>(false);
  const vote = useWrite(
    ({ choice, code }: { b: Ballot; choice: string; code: string | undefined }) => residentApi.vote(id, choice, code),
    {
      onSuccess: (answer, { b, choice, code }) => {
        const kept = {
          ballotId: id,
          title: b.title,
          code: answer.receipt || code || '',
          choice,
          at: new Date().toISOString(),
        };
        keepReceipt(userId, kept);
        setReceipt(kept);
        setJustVoted(answer.revote ? 'revote' : 'vote');
        setChoice(null);
      },
      invalidate: [ballotKeys.all],
    },
  );
  const { busy, error } = vote;
  // The server's own word on this head's receipt wins over a code kept on this device (a paper ballot's, say).
  const cast = (b: Ballot) => {
    if (choice) void vote.run({ b, choice, code: mine.data?.receipt ?? receipt?.code });
  };

  return (
    <Loaded query={ballot}>
      {(b) => (
        <>
          <Card title={b.title} testId="ballot">
            <Proposal ballot={b} />
            {b.description && <p style={{ whiteSpace: 'pre-wrap' }}>{b.description}</p>}
            <div className="m-muted">
              {b.scope.name} · {t('resident.ballot.closesAt', { time: formatUntil(b.closesAt) })}
            </div>
            {b.ruleDescription && <RuleText rule={b.ruleDescription} />}
            <div className="m-muted" data-testid="ballot-participation">
              {t('resident.ballot.participation', {
                heads: b.participation.heads,
                of: b.electorate.heads || b.electorate.members,
              })}
            </div>
            {b.secret && <div className="m-muted">{t('resident.ballot.secret')}</div>}
            {b.organiser && (
              <div className="m-muted">
                {t('resident.ballot.organiser', {
                  name: `${b.organiser.bodyName}${b.organiser.name ? `（${b.organiser.name}）` : ''}`,
                })}
              </div>
            )}
            {b.status === 'announced' && (
              <Alert
                style={{ marginTop: 10 }}
                type="info"
                showIcon
                data-testid="ballot-announced"
                title={t('resident.ballot.announced', { date: formatMonthDay(b.opensAt) })}
              />
            )}
            {!b.isOpen && b.status !== 'announced' && (
              <Alert
                style={{ marginTop: 10 }}
                type={b.outcome === 'passed' ? 'success' : 'info'}
                showIcon
                data-testid="ballot-outcome"
                title={
                  b.outcome
                    ? t('resident.ballot.outcome', { outcome: t(`resident.ballot.outcome.${b.outcome}`) })
                    : t('resident.ballot.closed')
                }
              />
            )}
            {b.noticePdf && (
              <Button block href={b.noticePdf} target="_blank" style={{ marginTop: 10 }} data-testid="notice-pdf">
                {t('resident.ballot.noticePdf')}
              </Button>
            )}
          </Card>
          {receipt && (
            <Card
              title={
                justVoted === 'revote'
                  ? t('resident.ballot.revotedTitle')
                  : justVoted
                    ? t('resident.ballot.receiptTitle')
                    : t('resident.me.receipts')
              }
              testId="receipt"
            >
              <div className="m-receipt" data-testid="receipt-code">
                {receipt.code}
              </div>
              <div className="m-muted">
                {t('resident.ballot.youChose', { choice: t(`resident.ballot.${receipt.choice}`) })} ·{' '}
                {formatDateTime(receipt.at)}
              </div>
              <p className="m-muted">{t('resident.ballot.receiptHelp')}</p>
              <ReceiptCheck ballotId={id} code={receipt.code} />
            </Card>
          )}
          <Loaded query={mine}>
            {(me) => {
              if (!me.eligible) return <Alert type="info" showIcon title={t('resident.ballot.notEligible')} />;
              if (!me.canVote) {
                return me.voted && !receipt ? (
                  <Card>
                    <span className="m-tag green">{t('resident.ballot.voted')}</span>{' '}
                    <span className="m-muted">{formatDateTime(me.castAt)}</span>
                    {me.receipt && (
                      <>
                        <div className="m-receipt" data-testid="receipt-code">
                          {me.receipt}
                        </div>
                        <ReceiptCheck ballotId={id} code={me.receipt} />
                      </>
                    )}
                  </Card>
                ) : null;
              }
              return (
                <Card title={t('resident.ballot.choose')} testId="vote-form">
                  {me.units.length > 0 && (
                    <p className="m-muted" style={{ marginTop: 0 }}>
                      {t('resident.ballot.units', { units: me.units.join('、'), area: me.area ?? '—' })}
                    </p>
                  )}
                  <div className="m-choices">
                    {CHOICES.map((c) => (
                      <button
                        key={c}
                        type="button"
                        className={choice === c ? 'm-choice selected' : 'm-choice'}
                        onClick={() => setChoice(c)}
                        aria-pressed={choice === c}
                        data-testid={`choice-${c}`}
                      >
                        {t(`resident.ballot.${c}`)}
                      </button>
                    ))}
                  </div>
                  {error && (
                    <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="vote-error" />
                  )}
                  <Button
                    type="primary"
                    block
                    className="m-big"
                    style={{ marginTop: 14 }}
                    disabled={!choice}
                    loading={busy}
                    onClick={() => cast(b)}
                    data-testid="vote-submit"
                  >
                    {choice
                      ? t('resident.ballot.confirm', { choice: t(`resident.ballot.${choice}`) })
                      : t('resident.ballot.choose')}
                  </Button>
                </Card>
              );
            }}
          </Loaded>
        </>
      )}
    </Loaded>
  );
}
