import { useTranslation } from 'react-i18next';

export const SIX_STEPS = ['raise', 'hear', 'deliberate', 'decide', 'execute', 'rate'] as const;

/** The six steps with those passed and the current one marked; a closed matter has passed them all. */
export function StepProgress({ step }: { step: string }) {
  const { t } = useTranslation();
  const current = step === 'closed' ? SIX_STEPS.length : SIX_STEPS.indexOf(step as (typeof SIX_STEPS)[number]);
  return (
    <div className="m-steps" data-testid="step-progress">
      {SIX_STEPS.map((s, i) => (
        <div key={s} className={i < current ? 'done' : i === current ? 'current' : ''}>
          {t(`resident.steps.${s}`)}
        </div>
      ))}
    </div>
  );
}
