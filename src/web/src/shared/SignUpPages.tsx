// Sign-up, home claim, password reset and letter activation: phone pages in plain elements, like the sign-in page (no
// antd: a resident's first visit on a slow network). Codes go to the phone; the server never shows one.
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import type * as Api from './api-types';
import { useAuth } from './auth';
import { useWrite } from './useWrite';
import './signIn.css';

type BuildingChoice = Api.SchemaBuildingChoice;
type ClaimView = Api.SchemaClaimView;

function Card({ title, children, onSubmit }: { title: string; children: ReactNode; onSubmit: (e: FormEvent) => void }) {
  return (
    <main className="signin">
      <form className="signin-card" onSubmit={onSubmit} noValidate>
        <div className="signin-head">
          <h1>{title}</h1>
        </div>
        {children}
      </form>
    </main>
  );
}

function Field(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: string;
  autoComplete?: string;
  testId: string;
  inputMode?: 'numeric' | 'tel' | 'text';
}) {
  return (
    <label className="signin-field">
      <span>{props.label}</span>
      <input
        type={props.type ?? 'text'}
        value={props.value}
        inputMode={props.inputMode}
        autoComplete={props.autoComplete}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
    </label>
  );
}

function Message({ error, note }: { error?: string | null; note?: string | null }) {
  return (
    <>
      {error && (
        <p className="signin-alert error" role="alert">
          {error}
        </p>
      )}
      {note && (
        <p className="signin-alert warning" role="status">
          {note}
        </p>
      )}
    </>
  );
}

/** Phone + "send code" button: the code goes to the phone, never into the answer. */
function PhoneAndCode(props: {
  purpose: 'signUp' | 'reset' | 'activate';
  phone: string;
  setPhone: (v: string) => void;
  code: string;
  setCode: (v: string) => void;
}) {
  const { t } = useTranslation();
  const [sent, setSent] = useState(false);
  const send = useWrite(() => api.post('/api/signup/codes', { phone: props.phone.trim(), purpose: props.purpose }), {
    onSuccess: () => setSent(true),
  });
  return (
    <>
      <Field
        label={t('signup.phone')}
        value={props.phone}
        onChange={props.setPhone}
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        testId="phone"
      />
      <button
        type="button"
        className="signin-link"
        disabled={send.busy}
        onClick={() => void send.run()}
        data-testid="send-code"
      >
        {t('signup.sendCode')}
      </button>
      <Message error={send.error} note={sent ? t('signup.codeSent') : null} />
      <Field
        label={t('signup.code')}
        value={props.code}
        onChange={props.setCode}
        inputMode="numeric"
        autoComplete="one-time-code"
        testId="code"
      />
    </>
  );
}

export function SignUpPage() {
  const { t } = useTranslation();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const write = useWrite(
    async () => {
      await api.post('/api/signup', {
        phone: phone.trim(),
        code: code.trim(),
        password,
        displayName: name.trim() || null,
      });
      await signIn(phone.trim(), password);
    },
    { onSuccess: () => navigate('/m/claim', { replace: true }) },
  );
  return (
    <Card title={t('signup.title')} onSubmit={(e) => (e.preventDefault(), void write.run())}>
      <PhoneAndCode purpose="signUp" phone={phone} setPhone={setPhone} code={code} setCode={setCode} />
      <Field
        label={t('signup.displayName')}
        value={name}
        onChange={setName}
        autoComplete="name"
        testId="display-name"
      />
      <Field
        label={t('signup.password')}
        value={password}
        onChange={setPassword}
        type="password"
        autoComplete="new-password"
        testId="password"
      />
      <p className="signin-hint">{t('signup.passwordHint')}</p>
      <Message error={write.error} />
      <button type="submit" className="signin-submit" disabled={write.busy} data-testid="sign-up">
        {t('signup.submit')}
      </button>
      <Link to="/login" className="signin-link">
        {t('signup.haveAccount')}
      </Link>
    </Card>
  );
}

export function ResetPage() {
  const { t } = useTranslation();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const write = useWrite(
    () => api.post('/api/signup/reset', { phone: phone.trim(), code: code.trim(), newPassword: password }),
    {
      onSuccess: () => setDone(true),
    },
  );
  return (
    <Card title={t('signup.resetTitle')} onSubmit={(e) => (e.preventDefault(), void write.run())}>
      {done ? (
        <>
          <Message note={t('signup.resetDone')} />
          <Link to="/login" className="signin-submit">
            {t('auth.signInAgain')}
          </Link>
        </>
      ) : (
        <>
          <PhoneAndCode purpose="reset" phone={phone} setPhone={setPhone} code={code} setCode={setCode} />
          <Field
            label={t('auth.newPassword')}
            value={password}
            onChange={setPassword}
            type="password"
            autoComplete="new-password"
            testId="password"
          />
          <p className="signin-hint">{t('signup.passwordHint')}</p>
          <Message error={write.error} />
          <button type="submit" className="signin-submit" disabled={write.busy} data-testid="reset">
            {t('signup.resetSubmit')}
          </button>
        </>
      )}
    </Card>
  );
}

export function ActivatePage() {
  const { t } = useTranslation();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get('code') ?? '');
  const [phone, setPhone] = useState('');
  const [phoneCode, setPhoneCode] = useState('');
  const [ownerName, setOwnerName] = useState('');
  const [password, setPassword] = useState('');
  const write = useWrite(
    async () => {
      await api.post('/api/letters/activate', {
        code: code.trim(),
        phone: phone.trim(),
        phoneCode: phoneCode.trim(),
        password,
        ownerName: ownerName.trim() || null,
      });
      await signIn(phone.trim(), password);
    },
    { onSuccess: () => navigate('/m', { replace: true }) },
  );
  return (
    <Card title={t('signup.activateTitle')} onSubmit={(e) => (e.preventDefault(), void write.run())}>
      <p className="signin-hint">{t('signup.activateIntro')}</p>
      <Field label={t('signup.letterCode')} value={code} onChange={setCode} autoComplete="off" testId="letter-code" />
      <PhoneAndCode purpose="activate" phone={phone} setPhone={setPhone} code={phoneCode} setCode={setPhoneCode} />
      <Field
        label={t('signup.ownerName')}
        value={ownerName}
        onChange={setOwnerName}
        autoComplete="name"
        testId="owner-name"
      />
      <Field
        label={t('signup.password')}
        value={password}
        onChange={setPassword}
        type="password"
        autoComplete="new-password"
        testId="password"
      />
      <p className="signin-hint">{t('signup.passwordHint')}</p>
      <Message error={write.error} />
      <button type="submit" className="signin-submit" disabled={write.busy} data-testid="activate">
        {t('signup.activateSubmit')}
      </button>
    </Card>
  );
}

export function ClaimPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [buildingId, setBuildingId] = useState('');
  const [entrance, setEntrance] = useState('');
  const [room, setRoom] = useState('');
  const [relation, setRelation] = useState<'owner' | 'family' | 'tenant'>('owner');
  const [idLast4, setIdLast4] = useState('');
  const [result, setResult] = useState<ClaimView | null>(null);
  const buildings = useQuery({
    queryKey: ['claim-buildings', search],
    queryFn: () => api.get<BuildingChoice[]>(`/api/me/claims/buildings?search=${encodeURIComponent(search.trim())}`),
  });
  const mine = useQuery({ queryKey: ['my-claims'], queryFn: () => api.get<ClaimView[]>('/api/me/claims') });
  const write = useWrite(
    () =>
      api.post<ClaimView>('/api/me/claims', {
        buildingId,
        entrance: entrance.trim() || null,
        room: room.trim(),
        relation,
        idLast4: relation === 'owner' ? idLast4.trim() : null,
      }),
    { onSuccess: (claim) => setResult(claim), invalidate: [['my-claims']] },
  );
  return (
    <Card title={t('signup.claimTitle')} onSubmit={(e) => (e.preventDefault(), void write.run())}>
      <p className="signin-hint">{t('signup.claimIntro')}</p>
      {(mine.data ?? []).map((c) => (
        <p key={c.id} className="signin-hint" data-testid="my-claim">
          {`${c.community}${c.building} ${c.unit}：${t(`signup.status.${c.status}`)}`}
          {c.refusalReason ? ` (${c.refusalReason})` : ''}
        </p>
      ))}
      <Field label={t('signup.searchBuilding')} value={search} onChange={setSearch} testId="building-search" />
      <label className="signin-field">
        <span>{t('signup.building')}</span>
        <select value={buildingId} onChange={(e) => setBuildingId(e.target.value)} data-testid="building">
          <option value="">{t('signup.chooseBuilding')}</option>
          {(buildings.data ?? []).map((b) => (
            <option key={b.id} value={b.id}>{`${b.community} ${b.name}`}</option>
          ))}
        </select>
      </label>
      <Field label={t('signup.entrance')} value={entrance} onChange={setEntrance} testId="entrance" />
      <Field label={t('signup.room')} value={room} onChange={setRoom} testId="room" />
      <label className="signin-field">
        <span>{t('signup.relation')}</span>
        <select
          value={relation}
          onChange={(e) => setRelation(e.target.value as typeof relation)}
          data-testid="relation"
        >
          <option value="owner">{t('signup.relation.owner')}</option>
          <option value="family">{t('signup.relation.family')}</option>
          <option value="tenant">{t('signup.relation.tenant')}</option>
        </select>
      </label>
      {relation === 'owner' && (
        <Field label={t('signup.idLast4')} value={idLast4} onChange={setIdLast4} testId="id-last4" />
      )}
      <Message error={write.error} note={result ? t(`signup.claimResult.${result.status}`) : null} />
      <button type="submit" className="signin-submit" disabled={write.busy} data-testid="claim">
        {t('signup.claimSubmit')}
      </button>
      <Link to="/m" className="signin-link">
        {t('signup.later')}
      </Link>
    </Card>
  );
}
