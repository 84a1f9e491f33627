// Small shared pieces of the console pages.
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, timeLeft } from '../shared/format';

export { Loaded } from '../shared/Loaded';

/** A deadline with how long is left, red once it has passed. */
export function Due({ at, overdue }: { at?: string | null; overdue?: boolean }) {
  const { t } = useTranslation();
  if (!at) return <Typography.Text type="secondary">—</Typography.Text>;
  const left = timeLeft(at);
  const late = overdue ?? left.past;
  return (
    <span data-testid={late ? 'overdue' : undefined}>
      {formatDateTime(at)}{' '}
      {late ? (
        <Tag color="red">{t('common.overdue')}</Tag>
      ) : (
        <Tag color={left.hours < 24 ? 'orange' : 'default'}>
          {left.days >= 2
            ? t('common.daysLeft', { n: left.days })
            : t('common.hoursLeft', { n: Math.max(left.hours, 0) })}
        </Tag>
      )}
    </span>
  );
}

/**
 * Tables keep at least this width and scroll sideways inside a narrow screen rather than squeezing every column to
 * two characters; on a desktop they fill the page as before.
 */
export const TABLE_SCROLL = { x: 760 } as const;

export function PageTitle({ children, extra }: { children: React.ReactNode; extra?: React.ReactNode }) {
  return (
    <div
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        justifyContent: 'space-between',
        alignItems: 'center',
        marginBottom: 16,
        gap: 12,
      }}
    >
      <Typography.Title level={3} style={{ margin: 0 }}>
        {children}
      </Typography.Title>
      {extra}
    </div>
  );
}

const STEP_COLOURS: Record<string, string> = {
  raise: 'default',
  hear: 'gold',
  deliberate: 'volcano',
  decide: 'magenta',
  execute: 'blue',
  rate: 'cyan',
  closed: 'green',
};
export function StepTag({ step, name }: { step: string; name: string }) {
  return <Tag color={STEP_COLOURS[step] ?? 'default'}>{name}</Tag>;
}
