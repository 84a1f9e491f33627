import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseCircleFilled, PlusOutlined } from '@ant-design/icons';

/** Photos chosen from the camera or the gallery, previewed before they are sent. */
export function PhotoPicker({
  files,
  onChange,
  max,
}: {
  files: File[];
  onChange: (files: File[]) => void;
  max: number;
}) {
  const { t } = useTranslation();
  const previews = useMemo(() => files.map((f) => URL.createObjectURL(f)), [files]);
  useEffect(() => () => previews.forEach((url) => URL.revokeObjectURL(url)), [previews]);
  return (
    <div className="m-photos">
      {previews.map((url, i) => (
        <div key={url} style={{ position: 'relative' }}>
          <img src={url} alt={files[i].name} />
          <button
            type="button"
            aria-label={t('resident.raise.removePhoto', { name: files[i].name })}
            onClick={() => onChange(files.filter((_, j) => j !== i))}
            style={{
              position: 'absolute',
              top: -6,
              right: -6,
              border: 0,
              background: 'none',
              fontSize: 20,
              color: '#595959',
              padding: 0,
            }}
          >
            <CloseCircleFilled />
          </button>
        </div>
      ))}
      {files.length < max && (
        <label
          style={{
            width: 96,
            height: 96,
            border: '1px dashed #bfbfbf',
            borderRadius: 8,
            display: 'flex',
            flexDirection: 'column',
            alignItems: 'center',
            justifyContent: 'center',
            color: '#5f5f5f',
            fontSize: 13,
            cursor: 'pointer',
          }}
        >
          <PlusOutlined style={{ fontSize: 22 }} />
          {t('resident.raise.addPhoto')}
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            hidden
            data-testid="raise-photos"
            onChange={(e) => {
              onChange([...files, ...Array.from(e.target.files ?? [])].slice(0, max));
              e.target.value = '';
            }}
          />
        </label>
      )}
    </div>
  );
}
