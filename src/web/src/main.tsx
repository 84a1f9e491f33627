import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import './shared/i18n';
import { AuthProvider } from './shared/auth';
import { AppRoutes } from './AppRoutes';

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });

function Root() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      // Secondary and tertiary text darker than antd's 45 % black (3.4:1 on white): WCAG AA asks 4.5:1 (GB/T 37668).
      theme={{ token: { colorPrimary: '#c0392b', colorTextDescription: '#666666', colorTextTertiary: '#666666' } }}
    >
      {/* antd's App (message, modal) wraps the console and the designer only: see AppRoutes.tsx */}
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
