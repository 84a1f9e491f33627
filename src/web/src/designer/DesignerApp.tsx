// The workflow designer (/designer): the definitions list, the editor, version history and the instance viewer.
import { Route, Routes } from 'react-router';
import { Button, Layout, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../shared/auth';
import { LanguageToggle } from '../shared/LanguageToggle';
import './strings';
import './designer.css';
import DefinitionsPage from './DefinitionsPage';
import EditorPage from './EditorPage';
import { InstancePage, InstancesPage } from './InstancePages';

export default function DesignerApp() {
  const { t } = useTranslation();
  const { me, signOut } = useAuth();
  return (
    <Layout className="dz-app">
      <Layout.Header className="dz-header">
        <Link to="/designer">
          <Typography.Text strong className="dz-brand">
            {t('app.name')} · {t('designer.title')}
          </Typography.Text>
        </Link>
        <Space>
          <Typography.Text type="secondary">{me?.displayName}</Typography.Text>
          <LanguageToggle />
          <Button size="small" type="text" onClick={() => void signOut()}>
            {t('app.signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content className="dz-content">
        <Routes>
          <Route index element={<DefinitionsPage />} />
          <Route path="instances/:instanceId" element={<InstancePage />} />
          <Route path=":definitionId" element={<EditorPage />} />
          <Route path=":definitionId/versions/:version" element={<EditorPage />} />
          <Route path=":definitionId/instances" element={<InstancesPage />} />
          <Route path="*" element={<Typography.Text>{t('app.notFound')}</Typography.Text>} />
        </Routes>
      </Layout.Content>
    </Layout>
  );
}
