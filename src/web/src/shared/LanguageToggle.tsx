import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage } from './i18n';

export function LanguageToggle() {
  const { t, i18n } = useTranslation();
  return (
    <Button
      size="small"
      type="text"
      data-testid="language-toggle"
      onClick={() => setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
    >
      {t('app.language')}
    </Button>
  );
}
