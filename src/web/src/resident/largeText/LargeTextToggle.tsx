// Plain buttons (resident.css), not antd's: the offer is on the home page, which loads without antd.
import { useTranslation } from 'react-i18next';
import { setLargeText, useLargeTextChoice } from './largeText';

/** The switch on the 我的 page: one big button that says what it does and whether it is on. */
export function LargeTextToggle() {
  const { t } = useTranslation();
  const on = useLargeTextChoice() === true;
  return (
    <button
      type="button"
      className={on ? 'm-button primary m-big m-block' : 'm-button m-big m-block'}
      aria-pressed={on}
      onClick={() => setLargeText(!on)}
      data-testid="large-text-toggle"
    >
      {on ? t('resident.largeText.turnOff') : t('resident.largeText.turnOn')}
    </button>
  );
}

/** Offered once on the home page until the resident chooses either way. */
export function LargeTextOffer() {
  const { t } = useTranslation();
  if (useLargeTextChoice() !== null) return null;
  return (
    <section className="m-card m-offer" data-testid="large-text-offer" aria-labelledby="large-text-offer-title">
      <h2 id="large-text-offer-title">{t('resident.largeText.offerTitle')}</h2>
      <p className="m-muted">{t('resident.largeText.offerHint')}</p>
      <div className="m-offer-actions">
        <button
          type="button"
          className="m-button primary m-big"
          onClick={() => setLargeText(true)}
          data-testid="large-text-accept"
        >
          {t('resident.largeText.name')}
        </button>
        <button
          type="button"
          className="m-button m-big"
          onClick={() => setLargeText(false)}
          data-testid="large-text-decline"
        >
          {t('resident.largeText.decline')}
        </button>
      </div>
    </section>
  );
}
