// antd's ConfigProvider (locale, the app's colours), put around the parts that use antd when they load: the sign-in
// page, the console, the designer and the resident pages with forms. The resident's shell and home page are plain
// elements, so a phone's first load carries no antd at all (see AppRoutes.tsx and resident/ResidentApp.tsx).
import type { ReactNode } from 'react';
import { ConfigProvider, type ThemeConfig } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';

// Secondary and tertiary text darker than antd's 45 % black (3.4:1 on white): WCAG AA asks 4.5:1 (GB/T 37668).
const baseToken: ThemeConfig['token'] = {
  colorPrimary: '#c0392b',
  colorTextDescription: '#666666',
  colorTextTertiary: '#666666',
};

/** The app's antd settings; `token` adds to (or overrides) the app's colours, e.g. the resident's large text. */
export function AntConfig({ children, token }: { children: ReactNode; token?: ThemeConfig['token'] }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      theme={{ token: { ...baseToken, ...token } }}
    >
      {children}
    </ConfigProvider>
  );
}
