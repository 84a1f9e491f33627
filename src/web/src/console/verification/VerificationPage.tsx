// 待核验的住户: home claims waiting in the caller's area. The grid worker of the building's grid, the property company or an
// administrator verifies a claim (for an owner's claim: which owner on the register the account becomes) or refuses it
// with a reason the claimant sees. The server masks the phone (last four digits only).
import { useState } from 'react';
import { App, Button, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useConfirm } from '../../shared/confirm';
import { formatDateTime } from '../../shared/format';
import { claimKeys } from '../../shared/queryKeys';
import { useWrite } from '../../shared/useWrite';
import { claimsApi, useClaimQueue, type HomeClaim } from '../consoleApi';
import { Loaded, PageTitle, TABLE_SCROLL } from '../ui';

/** The register owner a verifier links an owner's claim to by default: the only one without an account. */
export function defaultOwner(claim: HomeClaim): string | null {
  const open = claim.registerOwners.filter((o) => !o.hasAccount);
  return open.length === 1 ? open[0].id : null;
}

export function VerificationPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const queue = useClaimQueue();
  const [owners, setOwners] = useState<Record<string, string | null>>({});
  const [refusing, setRefusing] = useState<HomeClaim | null>(null);
  const [reason, setReason] = useState('');
  const { run, busyKey } = useWrite(({ write }: { key: string; write: () => Promise<unknown> }) => write(), {
    invalidate: [claimKeys.queue],
    onSuccess: () => message.success(t('console.saved')),
    onError: (text) => message.error(text),
    busyKey: (v) => v.key,
  });
  const home = (c: HomeClaim) => `${c.community} ${c.building} ${c.unit}`;
  const ownerOf = (c: HomeClaim) => (c.id in owners ? owners[c.id] : defaultOwner(c));

  const verify = async (c: HomeClaim) => {
    const ownerId = c.relation === 'owner' ? ownerOf(c) : null;
    if (c.relation === 'owner' && !ownerId) {
      message.error(t('console.verification.chooseOwner'));
      return;
    }
    const ownerName = c.registerOwners.find((o) => o.id === ownerId)?.name ?? '';
    const ok = await confirm({
      title: t('console.verification.verifyTitle', { name: c.claimantName, home: home(c) }),
      content: ownerId
        ? t('console.verification.verifyOwner', { owner: ownerName })
        : t('console.verification.verifyResident', { relation: t(`console.verification.relations.${c.relation}`) }),
    });
    if (ok) void run({ key: `verify-${c.id}`, write: () => claimsApi.verify(c.id, ownerId) });
  };

  const refuse = async () => {
    const c = refusing;
    if (!c) return;
    if (!reason.trim()) {
      message.error(t('console.verification.reasonRequired'));
      return;
    }
    const ok = await confirm({
      title: t('console.verification.refuseTitle', { name: c.claimantName, home: home(c) }),
      content: t('console.verification.refuseWhat', { reason: reason.trim() }),
      okText: t('console.verification.refuse'),
      danger: true,
    });
    if (!ok) return;
    setRefusing(null);
    void run({ key: `refuse-${c.id}`, write: () => claimsApi.refuse(c.id, reason.trim()) });
  };

  return (
    <>
      <PageTitle>{t('console.menu.verification')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('console.verification.intro')}</Typography.Paragraph>
      <Loaded query={queue}>
        {(list) => (
          <Table<HomeClaim>
            scroll={TABLE_SCROLL}
            rowKey="id"
            dataSource={list}
            pagination={false}
            locale={{ emptyText: t('console.verification.none') }}
            data-testid="claims"
            columns={[
              {
                title: t('console.verification.claimant'),
                render: (_, c) => (
                  <Space orientation="vertical" size={0}>
                    <span>{c.claimantName}</span>
                    {c.claimantPhone && <Typography.Text type="secondary">{c.claimantPhone}</Typography.Text>}
                  </Space>
                ),
              },
              { title: t('console.verification.home'), render: (_, c) => home(c) },
              {
                title: t('console.verification.relation'),
                render: (_, c) => <Tag>{t(`console.verification.relations.${c.relation}`)}</Tag>,
              },
              { title: t('console.verification.at'), render: (_, c) => formatDateTime(c.createdAt) },
              { title: t('console.verification.note'), render: (_, c) => c.note ?? '' },
              {
                title: '',
                render: (_, c) => (
                  <Space wrap>
                    {c.relation === 'owner' && (
                      <Select
                        size="small"
                        style={{ minWidth: 160 }}
                        placeholder={t('console.verification.registerOwner')}
                        value={ownerOf(c) ?? undefined}
                        onChange={(v: string) => setOwners((o) => ({ ...o, [c.id]: v }))}
                        options={c.registerOwners.map((o) => ({
                          value: o.id,
                          label: o.hasAccount ? t('console.verification.hasAccount', { name: o.name }) : o.name,
                          disabled: o.hasAccount,
                        }))}
                        data-testid={`claim-owner-${c.id}`}
                      />
                    )}
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => void verify(c)}
                      loading={busyKey === `verify-${c.id}`}
                      data-testid={`claim-verify-${c.id}`}
                    >
                      {t('console.verification.verify')}
                    </Button>
                    <Button
                      size="small"
                      danger
                      onClick={() => (setReason(''), setRefusing(c))}
                      loading={busyKey === `refuse-${c.id}`}
                      data-testid={`claim-refuse-${c.id}`}
                    >
                      {t('console.verification.refuse')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Loaded>
      <Modal
        open={!!refusing}
        title={
          refusing ? t('console.verification.refuseTitle', { name: refusing.claimantName, home: home(refusing) }) : ''
        }
        okText={t('console.verification.refuse')}
        okButtonProps={{ danger: true, ...({ 'data-testid': 'refuse-ok' } as object) }}
        cancelText={t('common.confirmCancel')}
        onOk={() => void refuse()}
        onCancel={() => setRefusing(null)}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('console.verification.reasonHelp')}</Typography.Paragraph>
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          rows={3}
          aria-label={t('console.verification.reason')}
          data-testid="refuse-reason"
        />
      </Modal>
    </>
  );
}
