// 组织与成员: a community's owners' committee, residents' committee, property companies and resident units with their terms
// (任期, 换届), kept by the community's party secretary or an administrator; and whom its four-party meeting invites by default.
import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { useConfirm } from '../../shared/confirm';
import { bodyKeys } from '../../shared/queryKeys';
import type { OrgNode } from '../../shared/types';
import { useWrite } from '../../shared/useWrite';
import {
  bodiesApi,
  useBodies,
  useCommunityStaff,
  useFourPartyInvitees,
  useOrg,
  type Body,
  type NewTermMember,
} from '../consoleApi';
import { Loaded, PageTitle, TABLE_SCROLL } from '../ui';

const KINDS = ['ownersCommittee', 'residentsCommittee', 'propertyCompany', 'residentUnit'] as const;
const POSITIONS = ['chair', 'viceChair', 'member'] as const;

/** Communities whose bodies the caller keeps: under an administrator's or a party secretary's node. */
export function bodyCommunities(nodes: OrgNode[], grants: { role: string; orgUnitId: string }[]): OrgNode[] {
  const kept = new Set(grants.filter((g) => g.role === 'admin' || g.role === 'partySecretary').map((g) => g.orgUnitId));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const under = (n: OrgNode | undefined): boolean => !!n && (kept.has(n.id) || under(byId.get(n.parentId ?? '')));
  return nodes.filter((n) => n.level === 'community' && under(n));
}

export function BodiesPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const org = useOrg();
  const communities = useMemo(() => bodyCommunities(org.data ?? [], me?.roles ?? []), [org.data, me]);
  const [chosen, setChosen] = useState<string | null>(null);
  const communityId = chosen ?? communities[0]?.id ?? '';
  return (
    <>
      <PageTitle
        extra={
          <Select
            value={communityId || undefined}
            onChange={setChosen}
            style={{ minWidth: 220 }}
            options={communities.map((n) => ({ value: n.id, label: n.name }))}
            data-testid="bodies-community"
          />
        }
      >
        {t('console.menu.bodies')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('console.bodies.intro')}</Typography.Paragraph>
      <Loaded query={org}>{() => (communityId ? <Bodies key={communityId} communityId={communityId} /> : null)}</Loaded>
    </>
  );
}

function Bodies({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const bodies = useBodies(communityId);
  const invitees = useFourPartyInvitees(communityId);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Body | null>(null);
  const [termFor, setTermFor] = useState<Body | null>(null);
  const { run, busyKey } = useWrite(({ write }: { key: string; write: () => Promise<unknown> }) => write(), {
    invalidate: [bodyKeys.of(communityId)],
    onError: (text) => message.error(text),
    busyKey: (v) => v.key,
  });
  const retire = async (b: Body) => {
    const ok = await confirm({
      title: t('console.bodies.retire'),
      content: t('console.bodies.retireTitle', { name: b.name }),
      okText: t('console.bodies.retire'),
      danger: true,
    });
    if (ok) void run({ key: `retire-${b.id}`, write: () => bodiesApi.retire(b.id) });
  };
  return (
    <>
      <Button type="primary" onClick={() => setCreating(true)} style={{ marginBottom: 12 }} data-testid="body-new">
        {t('console.bodies.new')}
      </Button>
      <Loaded query={bodies}>
        {(list) => (
          <Table<Body>
            scroll={TABLE_SCROLL}
            rowKey="id"
            dataSource={list}
            pagination={false}
            data-testid="bodies"
            columns={[
              {
                title: t('console.bodies.name'),
                render: (_, b) => (
                  <Space orientation="vertical" size={0}>
                    <span>
                      {b.name} <Tag>{t(`console.bodies.kinds.${b.kind}`)}</Tag>
                      {b.retiredAt && <Tag>{t('console.bodies.retired')}</Tag>}
                    </span>
                    {b.contact && <Typography.Text type="secondary">{b.contact}</Typography.Text>}
                    {b.partyOrganisation && <Typography.Text type="secondary">{b.partyOrganisation}</Typography.Text>}
                  </Space>
                ),
              },
              {
                title: t('console.bodies.term'),
                render: (_, b) => (
                  <Space orientation="vertical" size={0}>
                    <Tag color={b.termState === 'current' ? 'green' : 'red'} data-testid={`body-term-${b.id}`}>
                      {t(`console.bodies.termStates.${b.termState}`)}
                    </Tag>
                    {b.currentTerm && (
                      <span>
                        {String(b.currentTerm.startsOn)} ~ {String(b.currentTerm.endsOn)}
                      </span>
                    )}
                  </Space>
                ),
              },
              {
                title: t('console.bodies.members'),
                render: (_, b) =>
                  (b.currentTerm?.members ?? []).map((m) => (
                    <div key={m.id}>
                      {m.name} <Tag>{t(`console.bodies.positions.${m.position}`)}</Tag>
                      {m.delegate && <Tag color="blue">{t('console.bodies.delegate')}</Tag>}
                      {m.userId && <Tag color="green">{t('console.bodies.linked')}</Tag>}
                    </div>
                  )),
              },
              {
                title: '',
                render: (_, b) =>
                  b.retiredAt ? null : (
                    <Space wrap>
                      <Button size="small" onClick={() => setEditing(b)} data-testid={`body-edit-${b.id}`}>
                        {t('console.bodies.edit')}
                      </Button>
                      <Button size="small" onClick={() => setTermFor(b)} data-testid={`body-term-new-${b.id}`}>
                        {t(b.kind === 'propertyCompany' ? 'console.bodies.newContract' : 'console.bodies.newTerm')}
                      </Button>
                      <Button size="small" danger onClick={() => retire(b)} loading={busyKey === `retire-${b.id}`}>
                        {t('console.bodies.retire')}
                      </Button>
                    </Space>
                  ),
              },
            ]}
          />
        )}
      </Loaded>
      <Card title={t('console.bodies.invitees')} size="small" style={{ marginTop: 16 }}>
        <Loaded query={invitees}>
          {(list) => (
            <ul data-testid="four-party-invitees">
              {list.map((i) => (
                <li key={`${i.party}-${i.name}`}>
                  {t(`console.bodies.parties.${i.party}`)}：{i.name}
                  {i.role === 'invitee' && ` (${t('console.bodies.attends')})`}
                  {i.chair && ` (${t('console.bodies.chairs')})`}
                </li>
              ))}
            </ul>
          )}
        </Loaded>
      </Card>
      {creating && <BodyForm communityId={communityId} onClose={() => setCreating(false)} />}
      {editing && <BodyForm communityId={communityId} body={editing} onClose={() => setEditing(null)} />}
      {termFor && <TermForm communityId={communityId} body={termFor} onClose={() => setTermFor(null)} />}
    </>
  );
}

interface BodyFields {
  kind: (typeof KINDS)[number];
  name: string;
  contact?: string;
  partyOrganisation?: string;
}

/** Records a body, or (given one) changes its name, contact and party organisation; its kind stays. */
function BodyForm({ communityId, body, onClose }: { communityId: string; body?: Body; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<BodyFields>();
  const kind = Form.useWatch('kind', form) ?? body?.kind ?? 'ownersCommittee';
  const { run, busy, error } = useWrite(
    (v: BodyFields) => {
      const header = {
        name: v.name.trim(),
        contact: v.contact?.trim() || null,
        partyOrganisation: v.partyOrganisation?.trim() || null,
      };
      return body ? bodiesApi.change(body.id, header) : bodiesApi.add(communityId, { kind: v.kind, ...header });
    },
    { invalidate: [bodyKeys.of(communityId)], onSuccess: onClose },
  );
  const initial: Partial<BodyFields> = body
    ? {
        kind: body.kind as BodyFields['kind'],
        name: body.name,
        contact: body.contact ?? undefined,
        partyOrganisation: body.partyOrganisation ?? undefined,
      }
    : { kind: 'ownersCommittee' };
  return (
    <Modal
      open
      title={body ? t('console.bodies.editTitle', { name: body.name }) : t('console.bodies.new')}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={run} initialValues={initial}>
        <Form.Item name="kind" label={t('console.bodies.kind')}>
          <Select disabled={!!body} options={KINDS.map((k) => ({ value: k, label: t(`console.bodies.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="name" label={t('console.bodies.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} data-testid="body-name" />
        </Form.Item>
        <Form.Item name="contact" label={t('console.bodies.contact')}>
          <Input maxLength={200} />
        </Form.Item>
        {kind === 'residentUnit' && (
          <Form.Item name="partyOrganisation" label={t('console.bodies.partyOrganisation')}>
            <Input maxLength={200} />
          </Form.Item>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="body-save">
          {t('console.save')}
        </Button>
      </Form>
    </Modal>
  );
}

interface TermFields {
  startsOn: string;
  endsOn: string;
  members: {
    name: string;
    position: (typeof POSITIONS)[number];
    userId?: string;
    phone?: string;
    delegate?: boolean;
  }[];
}

function TermForm({ communityId, body, onClose }: { communityId: string; body: Body; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TermFields>();
  const staff = useCommunityStaff(communityId);
  const accounts = (staff.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.userName}）` }));
  // Picking an account fills an empty name with the account's name.
  const linked = (index: number, userId: string | undefined) => {
    const account = staff.data?.find((u) => u.id === userId);
    if (account && !form.getFieldValue(['members', index, 'name'])?.trim())
      form.setFieldValue(['members', index, 'name'], account.displayName);
  };
  const { run, busy, error } = useWrite(
    (v: TermFields) =>
      bodiesApi.addTerm(body.id, {
        startsOn: v.startsOn,
        endsOn: v.endsOn,
        members: v.members.map((m): NewTermMember => ({
          name: m.name.trim(),
          position: m.position,
          userId: m.userId ?? null,
          phone: m.phone?.trim() || null,
          delegate: !!m.delegate,
        })),
      }),
    { invalidate: [bodyKeys.of(communityId)], onSuccess: onClose },
  );
  return (
    <Modal
      open
      title={`${body.name} · ${t('console.bodies.newTerm')}`}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={720}
    >
      <Typography.Paragraph type="secondary">{t('console.bodies.termHelp')}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('console.bodies.accountHelp')}</Typography.Paragraph>
      <Form<TermFields>
        form={form}
        layout="vertical"
        onFinish={run}
        initialValues={{ members: [{ name: '', position: 'chair' }] }}
      >
        <Space>
          <Form.Item name="startsOn" label={t('console.bodies.startsOn')} rules={[{ required: true }]}>
            <Input type="date" data-testid="term-starts" />
          </Form.Item>
          <Form.Item name="endsOn" label={t('console.bodies.endsOn')} rules={[{ required: true }]}>
            <Input type="date" data-testid="term-ends" />
          </Form.Item>
        </Space>
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="baseline" wrap>
                  <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true }]}>
                    <Input
                      placeholder={t('console.bodies.memberName')}
                      maxLength={100}
                      data-testid={`term-member-name-${field.name}`}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'position']}>
                    <Select
                      style={{ width: 120 }}
                      options={POSITIONS.map((p) => ({ value: p, label: t(`console.bodies.positions.${p}`) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'userId']}>
                    <Select
                      allowClear
                      showSearch
                      optionFilterProp="label"
                      style={{ width: 200 }}
                      placeholder={t('console.bodies.account')}
                      options={accounts}
                      onChange={(v?: string) => linked(field.name, v)}
                      data-testid={`term-member-account-${field.name}`}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'phone']}>
                    <Input placeholder={t('console.bodies.phone')} maxLength={32} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'delegate']} valuePropName="checked">
                    <Checkbox>{t('console.bodies.delegate')}</Checkbox>
                  </Form.Item>
                  <Button size="small" onClick={() => remove(field.name)}>
                    {t('console.remove')}
                  </Button>
                </Space>
              ))}
              <Button onClick={() => add({ name: '', position: 'member' })} style={{ marginBottom: 12 }}>
                {t('console.bodies.addMember')}
              </Button>
            </>
          )}
        </Form.List>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="term-save">
          {t('console.save')}
        </Button>
      </Form>
    </Modal>
  );
}
