// 居民提事: a resident raises a matter with its place and photos; the six-step workflow starts on the server.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, Input } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, newRequestKey, problemMessage } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { matterKeys } from '../../shared/queryKeys';
import { useWrite } from '../../shared/useWrite';
import { Card, Loaded } from '../ui';
import { residentApi, useCategories, useOrg } from '../residentApi';
import { placeDefaults } from './placeDefaults';
import { PhotoPicker } from './PhotoPicker';

interface Draft {
  title: string;
  description: string;
  category: string;
  gridId: string;
  buildingId: string;
  location: string;
  contactPhone: string;
  anonymous: boolean;
}

export function RaisePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const client = useQueryClient();
  const categories = useCategories();
  const org = useOrg();
  const [draft, setDraft] = useState<Draft>({
    title: '',
    description: '',
    category: '',
    gridId: '',
    buildingId: '',
    location: '',
    contactPhone: '',
    anonymous: false,
  });
  const [photos, setPhotos] = useState<File[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // One key per version of the draft: sending the same draft twice raises one matter; an edited draft is a new request.
  const requestKey = useRef(newRequestKey());
  useEffect(() => {
    requestKey.current = newRequestKey();
  }, [draft]);

  const nodes = useMemo(() => org.data ?? [], [org.data]);
  // The resident's own grid and building, once the places have loaded (set while rendering, as React advises).
  if (nodes.length && !draft.gridId) setDraft((d) => ({ ...d, ...placeDefaults(me, nodes) }));
  const grids = nodes.filter((n) => n.level === 'grid');
  const buildings = nodes.filter((n) => n.level === 'building' && n.parentId === draft.gridId);
  // A field's complaint goes as soon as the resident changes it: it no longer describes what is there.
  const forget = (...keys: string[]) =>
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !keys.includes(k))));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    forget(key);
  };

  const raise = useWrite(
    async () => {
      const matter = await residentApi.raise(
        {
          title: draft.title,
          description: draft.description,
          category: draft.category || null,
          gridId: draft.gridId || null,
          buildingId: draft.buildingId || null,
          location: draft.location || null,
          contactPhone: draft.contactPhone || null,
          anonymous: draft.anonymous,
        },
        requestKey.current,
      );
      // The matter is raised: a photo that fails is told on its page, not as a refusal.
      let photoProblem: string | null = null;
      if (photos.length) {
        const form = new FormData();
        photos.forEach((p) => form.append('photos', p, p.name));
        try {
          await residentApi.addPhotos(matter.id, form);
        } catch (e) {
          photoProblem = problemMessage(e);
        }
      }
      return { matter, photoProblem };
    },
    {
      onSuccess: async ({ matter, photoProblem }) => {
        await client.invalidateQueries({ queryKey: matterKeys.all });
        navigate(`/m/matters/${matter.id}`, { state: { raised: true, photoProblem } });
      },
      onError: (_, e) => {
        if (e instanceof ApiError && e.problem.errors)
          setErrors(Object.fromEntries(Object.entries(e.problem.errors).map(([k, v]) => [k, v.join(' ')])));
      },
    },
  );
  const { busy, error } = raise;
  // A refusal that named fields ("请检查以下字段") is over once each of them has been changed.
  const namedFields = raise.failure instanceof ApiError && !!raise.failure.problem.errors;
  const message = namedFields && Object.keys(errors).length === 0 ? null : error;
  const submit = () => {
    setErrors({});
    void raise.run();
  };

  const fieldError = (field: string) =>
    errors[field] && (
      <div style={{ color: '#c0392b', marginTop: 4 }} data-testid={`error-${field}`}>
        {errors[field]}
      </div>
    );

  return (
    <Card title={t('resident.raise.title')} testId="raise-page">
      <label className="m-field">
        <span>{t('resident.raise.what')}</span>
        <Input
          size="large"
          value={draft.title}
          maxLength={200}
          placeholder={t('resident.raise.whatPlaceholder')}
          onChange={(e) => set('title', e.target.value)}
          data-testid="raise-title"
          status={errors.title ? 'error' : undefined}
        />
        {fieldError('title')}
      </label>
      <label className="m-field">
        <span>{t('resident.raise.description')}</span>
        <Input.TextArea
          rows={4}
          value={draft.description}
          placeholder={t('resident.raise.descriptionPlaceholder')}
          onChange={(e) => set('description', e.target.value)}
          data-testid="raise-description"
          status={errors.description ? 'error' : undefined}
        />
        {fieldError('description')}
      </label>
      <Loaded query={categories}>
        {(list) => (
          <label className="m-field">
            <span>{t('resident.raise.category')}</span>
            <select
              className="m-select"
              value={draft.category}
              onChange={(e) => set('category', e.target.value)}
              data-testid="raise-category"
            >
              <option value="">{t('common.choose')}</option>
              {list.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
            {fieldError('category')}
          </label>
        )}
      </Loaded>
      <Loaded query={org}>
        {() => (
          <div style={{ display: 'flex', gap: 10 }}>
            <label className="m-field" style={{ flex: 1 }}>
              <span>{t('resident.raise.grid')}</span>
              <select
                className="m-select"
                value={draft.gridId}
                onChange={(e) => {
                  setDraft((d) => ({ ...d, gridId: e.target.value, buildingId: '' }));
                  forget('gridId', 'buildingId');
                }}
                data-testid="raise-grid"
              >
                {grids.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
              {fieldError('gridId')}
            </label>
            <label className="m-field" style={{ flex: 1 }}>
              <span>{t('resident.raise.building')}</span>
              <select
                className="m-select"
                value={draft.buildingId}
                onChange={(e) => set('buildingId', e.target.value)}
                data-testid="raise-building"
              >
                <option value="">{t('resident.raise.noBuilding')}</option>
                {buildings.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
              {fieldError('buildingId')}
            </label>
          </div>
        )}
      </Loaded>
      <label className="m-field">
        <span>{t('resident.raise.location')}</span>
        <Input size="large" value={draft.location} maxLength={200} onChange={(e) => set('location', e.target.value)} />
        {fieldError('location')}
      </label>
      <label className="m-field">
        <span>{t('resident.raise.phone')}</span>
        <Input
          size="large"
          type="tel"
          value={draft.contactPhone}
          maxLength={30}
          onChange={(e) => set('contactPhone', e.target.value)}
        />
        {fieldError('contactPhone')}
      </label>
      <div className="m-field">
        <span>{t('resident.raise.photos')}</span>
        <PhotoPicker files={photos} onChange={setPhotos} max={9} />
      </div>
      <label className="m-switch">
        <input
          type="checkbox"
          checked={draft.anonymous}
          onChange={(e) => set('anonymous', e.target.checked)}
          data-testid="raise-anonymous"
        />
        <span>{t('resident.raise.anonymous')}</span>
      </label>
      <p className="m-muted" style={{ marginTop: 0 }}>
        {t('resident.raise.anonymousHelp')}
      </p>
      {message && (
        <Alert type="error" showIcon title={message} style={{ marginBottom: 12 }} data-testid="raise-error" />
      )}
      {/* Until the places have loaded the grid is not chosen yet: a quick tap would be refused as 请选择所在网格. */}
      <Button
        type="primary"
        block
        className="m-big"
        loading={busy}
        disabled={org.isPending}
        onClick={submit}
        data-testid="raise-submit"
      >
        {t('resident.raise.submit')}
      </Button>
    </Card>
  );
}
