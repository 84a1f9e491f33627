// The one-time password of a new account or a reset, shown once: the server never gives it again.
import { App, Alert, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function OneTimePasswordDialog({
  userName,
  password,
  onClose,
}: {
  userName: string;
  password: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(password);
      message.success(t('console.users.copied'));
    } catch {
      message.error(t('console.users.copyFailed'));
    }
  };
  return (
    <Modal
      open
      title={t('console.users.oneTimeTitle', { name: userName })}
      onCancel={onClose}
      maskClosable={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="one-time-close">
          {t('console.users.oneTimeDone')}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t('console.users.oneTimeWarning')} style={{ marginBottom: 12 }} />
      <Space wrap>
        <Typography.Text code copyable={false} style={{ fontSize: 20 }} data-testid="one-time-password">
          {password}
        </Typography.Text>
        <Button onClick={copy} data-testid="one-time-copy">
          {t('console.users.copy')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {t('console.users.oneTimeNext')}
      </Typography.Paragraph>
    </Modal>
  );
}
