// Every workflow definition with its latest and published versions; create a new one or import Elsa JSON.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../shared/api';
import { formatDateTime } from '../shared/format';
import { designerKeys, workflowsApi } from './designerApi';
import { START_TYPE, type DefinitionSummary } from './types';

function NewWorkflowModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ definitionId: string; name: string }>();
  const create = useMutation({
    // A new workflow begins with its Start, so that it is valid from the first save.
    mutationFn: (values: { definitionId: string; name: string }) =>
      workflowsApi.create({
        definitionId: values.definitionId.trim(),
        name: values.name.trim(),
        variables: [],
        root: {
          type: 'Flowchart',
          activities: [
            { id: 'start', type: START_TYPE, version: 1, metadata: { designer: { position: { x: 0, y: 0 } } } },
          ],
          connections: [],
        },
      }),
    onSuccess: (created) => navigate(`/designer/${encodeURIComponent(created.definitionId)}`),
    onError: (e) => {
      message.error(problemMessage(e)); // not returned: react-query would wait for the message to close
    },
  });
  return (
    <Modal
      open={open}
      title={t('designer.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okText={t('designer.create')}
      cancelText={t('designer.cancel')}
      okButtonProps={{ 'data-testid': 'new-confirm' }}
    >
      <Form form={form} layout="vertical" onFinish={(values) => create.mutate(values)}>
        <Form.Item
          name="definitionId"
          label={t('designer.definitionId')}
          extra={t('designer.definitionIdHint')}
          rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, message: t('designer.definitionIdHint') }]}
        >
          <Input data-testid="new-definitionId" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('designer.name')}
          rules={[{ required: true, whitespace: true, message: t('designer.required') }]}
        >
          <Input data-testid="new-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function DefinitionsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: designerKeys.definitions, queryFn: workflowsApi.list });
  const importElsa = useMutation({
    mutationFn: async (file: File) => {
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch {
        throw new Error(t('designer.badJson'));
      }
      return workflowsApi.import(json);
    },
    onSuccess: (imported) => {
      message.success(t('designer.imported'));
      navigate(`/designer/${encodeURIComponent(imported.definitionId)}`);
    },
    onError: (e) => message.error({ content: problemMessage(e), duration: 8 }),
  });
  const time = (s: string) => formatDateTime(s);
  return (
    <div className="dz-page">
      <Space style={{ marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('designer.definitions')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-workflow">
          {t('designer.new')}
        </Button>
        <Upload
          accept=".json,application/json"
          showUploadList={false}
          beforeUpload={(file) => {
            importElsa.mutate(file);
            return false;
          }}
        >
          <Button icon={<ImportOutlined />} loading={importElsa.isPending} data-testid="import">
            {t('designer.import')}
          </Button>
        </Upload>
      </Space>
      {list.error && <Alert type="error" showIcon title={problemMessage(list.error)} />}
      <Table<DefinitionSummary>
        rowKey="definitionId"
        loading={list.isLoading}
        dataSource={list.data}
        pagination={false}
        size="middle"
        onRow={(row) => ({ onDoubleClick: () => navigate(`/designer/${encodeURIComponent(row.definitionId)}`) })}
        columns={[
          {
            title: t('designer.name'),
            dataIndex: 'name',
            render: (name: string, row) => <Link to={`/designer/${encodeURIComponent(row.definitionId)}`}>{name}</Link>,
          },
          {
            title: t('designer.definitionId'),
            dataIndex: 'definitionId',
            render: (id: string) => <Typography.Text code>{id}</Typography.Text>,
          },
          {
            title: t('designer.latestVersion'),
            dataIndex: 'latestVersion',
            render: (v: number, row) => (
              <>
                {v} {row.hasDraft && <Tag color="orange">{t('designer.draft')}</Tag>}
              </>
            ),
          },
          {
            title: t('designer.publishedVersion'),
            dataIndex: 'publishedVersion',
            render: (v: number | null) => (v ? <Tag color="green">{v}</Tag> : t('designer.none')),
          },
          { title: t('designer.updatedAt'), dataIndex: 'updatedAt', render: time },
          {
            title: '',
            key: 'actions',
            render: (_, row) => (
              <Space>
                <Link to={`/designer/${encodeURIComponent(row.definitionId)}`}>{t('designer.open')}</Link>
                <Link to={`/designer/${encodeURIComponent(row.definitionId)}/instances`}>
                  {t('designer.instances')}
                </Link>
              </Space>
            ),
          },
        ]}
      />
      <NewWorkflowModal open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
