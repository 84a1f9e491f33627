import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from './auth';
import { api, problemMessage } from './api';
import { LanguageToggle } from './LanguageToggle';

/** GET /api/auth/options: whether the server is in demo mode (the password is sent only then). */
interface AuthOptions {
  demo: boolean;
  demoPassword?: string | null;
}

export function SignInPage() {
  const { t } = useTranslation();
  const options = useQuery({
    queryKey: ['auth-options'],
    queryFn: () => api.get<AuthOptions>('/api/auth/options'),
    staleTime: Infinity,
  });
  const demo = options.data?.demo === true;
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      await signIn(values.username.trim(), values.password);
      navigate(params.get('next') || '/', { replace: true });
    } catch (e) {
      setError(problemMessage(e));
    } finally {
      setBusy(false);
    }
  }

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
