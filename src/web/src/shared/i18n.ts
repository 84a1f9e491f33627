// zh-CN first, English second. Each part of the app adds its own strings under its namespace-free keys.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zh, en } from './strings';

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('deliberate.lang') : null;

i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zh }, en: { translation: en } },
  lng: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});

export function setLanguage(lang: 'zh-CN' | 'en') {
  localStorage.setItem('deliberate.lang', lang);
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

/** Picks the zh-CN or en text of a server value such as an activity descriptor's displayName. */
export function localized(text: { 'zh-CN'?: string; en?: string } | string | undefined): string {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return (i18n.language === 'en' ? text.en : text['zh-CN']) ?? text['zh-CN'] ?? text.en ?? '';
}

export default i18n;

/** Each part of the app (resident/, console/, designer/) registers its own strings from its strings.ts. */
export function addStrings(zh: Record<string, string>, en: Record<string, string>) {
  i18n.addResources('zh-CN', 'translation', zh);
  i18n.addResources('en', 'translation', en);
}
