// The owners' committee enters a vote for an owner: by written proxy (委托投票) or from a paper ballot (纸质选票).
// Owners are picked from the ballot's roll (its audit input names each unit's owners); the document is required.
// The answer holds no receipt (it is the owner's): only the slip to print and hand to the owner.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../shared/api';
import { ballotKeys } from '../../shared/queryKeys';
import { useWrite } from '../../shared/useWrite';
import { ballotsApi, useRoll } from '../consoleApi';
import type { Ballot } from '../../shared/types';
import type { Participation } from './BallotPage';

export function OnBehalfVote({ ballot, voted }: { ballot: Ballot; voted: Participation[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const roll = useRoll(ballot.id);
  const [channel, setChannel] = useState<'proxy' | 'paper'>('paper');
  const [file, setFile] = useState<File | null>(null);
  const [slip, setSlip] = useState<string | null>(null);
  const [form] = Form.useForm();
  const votedUnits = new Set(voted.flatMap((p) => p.units));
  const units = (roll.data?.electorate ?? []).filter((u) => !votedUnits.has(u.unit) && u.owners.length > 0);

  const enter = useWrite((data: FormData) => ballotsApi.enter(ballot.id, channel, data), {
    onSuccess: (entered) => {
      setSlip(entered.slip);
      message.success(t('console.ballots.entered'));
      form.resetFields();
      setFile(null);
    },
    invalidate: [ballotKeys.one(ballot.id)],
  });
  const error = enter.error;

  async function submit(v: { unit: string; choice: string; proxyName?: string }) {
    enter.reset();
    const unit = units.find((u) => u.unit === v.unit);
    if (!unit || !file) return;
    const data = new FormData();
    data.append('ownerId', unit.owners[0]);
    data.append('choice', v.choice);
    if (channel === 'proxy') data.append('proxyName', v.proxyName ?? '');
    data.append(channel === 'proxy' ? 'authorisation' : 'sheet', file, file.name);
    await enter.run(data);
  }

  return (
    <Card size="small" title={t('console.ballots.onBehalf')}>
      <Radio.Group
        value={channel}
        onChange={(e) => setChannel(e.target.value)}
        style={{ marginBottom: 12 }}
        options={[
          { value: 'paper', label: t('console.channels.paper') },
          { value: 'proxy', label: t('console.channels.proxy') },
        ]}
      />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="unit" label={t('console.ballots.unit')} rules={[{ required: true }]}>
          <Select
            showSearch
            options={units.map((u) => ({ value: u.unit, label: `${u.unit}（${u.area} ㎡）` }))}
            loading={roll.isLoading}
          />
        </Form.Item>
        <Form.Item name="choice" label={t('console.ballots.choice')} rules={[{ required: true }]}>
          <Radio.Group
            options={['agree', 'disagree', 'abstain'].map((c) => ({ value: c, label: t(`console.choices.${c}`) }))}
          />
        </Form.Item>
        {channel === 'proxy' && (
          <Form.Item name="proxyName" label={t('console.ballots.proxyName')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        <Form.Item label={t(channel === 'proxy' ? 'console.ballots.authorisation' : 'console.ballots.sheet')} required>
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp,application/pdf"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </Form.Item>
        {slip && (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="vote-slip"
            title={
              <a href={slip} target="_blank" rel="noreferrer">
                {t('console.ballots.printSlip')}
              </a>
            }
            description={t('console.ballots.slipHelp')}
          />
        )}
        {(error || roll.error) && (
          <Alert type="error" showIcon title={error ?? problemMessage(roll.error)} style={{ marginBottom: 12 }} />
        )}
        <Button type="primary" htmlType="submit" disabled={!file}>
          {t('console.ballots.enter')}
        </Button>
      </Form>
    </Card>
  );
}
