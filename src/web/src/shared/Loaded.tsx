// Loading, error (with the server's Problem Details message and a retry) or the content of one query.
import type { ReactNode } from 'react';
import { Alert, Button, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { problemMessage } from './api';
import './commonStrings';

export function Loaded<T>({
  query,
  children,
}: {
  query: { data: T | undefined; error: unknown; isLoading: boolean; refetch: () => unknown };
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isLoading)
    return (
      <div style={{ textAlign: 'center', padding: 24 }}>
        <Spin />
      </div>
    );
  if (query.error) {
    return (
      <Alert
        type="error"
        showIcon
        title={problemMessage(query.error)}
        style={{ marginBottom: 12 }}
        data-testid="load-error"
        action={
          <Button size="small" onClick={() => query.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  return query.data === undefined ? null : <>{children(query.data)}</>;
}
