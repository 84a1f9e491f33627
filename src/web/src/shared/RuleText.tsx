import { localized } from './i18n';
import type { RuleDescription } from './types';

/** A vote's rule in words: its name, the quorum and what passes (e.g. 民法典第二百七十八条). */
export function RuleText({ rule }: { rule: RuleDescription }) {
  const text = (zh: string, en: string) => localized({ 'zh-CN': zh, en });
  return (
    <div style={{ color: 'var(--d-muted, #666)', fontSize: 'var(--d-small, 13px)' }} data-testid="rule-text">
      <div>{text(rule.titleZh, rule.titleEn)}</div>
      {rule.quorum && <div>{text(rule.quorum.textZh, rule.quorum.textEn)}</div>}
      <div>{text(rule.pass.textZh, rule.pass.textEn)}</div>
    </div>
  );
}
