// antd's settings for the resident pages that use it (forms, alerts), loaded with those pages: the shell and the home
// page are plain elements and do not need it.
import type { ReactNode } from 'react';
import type { ThemeConfig } from 'antd';
import { AntConfig } from '../shared/AntConfig';
import { useLargeTextChoice } from './largeText/largeText';

// antd's default red (#ff4d4f) is 3.3:1 on white: the resident pages' danger text needs 4.5:1 (WCAG AA).
const residentToken: ThemeConfig['token'] = { colorError: '#cf1322' };

// 适老化 (GB/T 37668): the antd parts grow with the page — 18 px text, 48 px controls, darker secondary text.
const largeToken: ThemeConfig['token'] = {
  colorError: '#cf1322',
  fontSize: 18,
  fontSizeLG: 20,
  fontSizeSM: 16,
  lineHeight: 1.7,
  controlHeight: 48,
  controlHeightLG: 52,
  controlHeightSM: 48,
  colorText: '#141414',
  colorTextSecondary: '#333333',
  colorTextDescription: '#333333',
};

export function ResidentAntConfig({ children }: { children: ReactNode }) {
  const large = useLargeTextChoice() === true;
  return <AntConfig token={large ? largeToken : residentToken}>{children}</AntConfig>;
}
