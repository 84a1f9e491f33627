import { useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth';
import { LanguageToggle } from './LanguageToggle';
import { useAuthOptions } from './sharedApi';
import { useWrite } from './useWrite';

export function SignInPage() {
  const { t } = useTranslation();
  const options = useAuthOptions();
  const demo = options.data?.demo === true;
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const {
    run: submit,
    busy,
    error,
  } = useWrite((values: { username: string; password: string }) => signIn(values.username.trim(), values.password), {
    onSuccess: () => navigate(params.get('next') || '/', { replace: true }),
  });

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
        background: '#f5f5f5',
      }}
    >
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <LanguageToggle />
        </div>
        {demo && (
          <>
            <Alert
              type="warning"
              title={t('auth.demoBanner')}
              showIcon
              style={{ marginTop: 12 }}
              data-testid="demo-banner"
            />
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="demo-hint">
              {t('auth.demoHint', { password: options.data?.demoPassword ?? '' })}
            </Typography.Paragraph>
          </>
        )}
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} showIcon />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true }]}>
            <Input autoComplete="username" data-testid="username" />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" data-testid="password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in">
            {t('auth.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
