// One activity on the canvas: its name and type (the id on hover), an entry port on the left (none on Start) and one
// exit port on the right per outcome — listed outcomes follow their input as it is edited.
import { memo, useEffect, useMemo, useRef } from 'react';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { Tooltip } from 'antd';
import { WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { localized } from '../shared/i18n';
import { useDecoration, useDescriptor } from './canvasContext';
import { CategoryIcon } from './categories';
import { portsOf } from './ports';
import { IN_PORT, START_TYPE } from './types';
import type { ActivityNode } from './mapping';

function ActivityNodeView({ id, data, selected }: NodeProps<ActivityNode>) {
  const { t } = useTranslation();
  const descriptor = useDescriptor(data.type);
  const decoration = useDecoration(id);
  const ports = useMemo(() => portsOf(descriptor, data.inputs), [descriptor, data.inputs]);
  const updateNodeInternals = useUpdateNodeInternals();
  const portKey = ports.map((p) => p.name).join('\n');
  // React Flow measures a node and its handles when it mounts; only a change of ports later needs telling
  // (on mount it would measure every node a second time, one frame each).
  const measuredPorts = useRef(portKey);
  useEffect(() => {
    if (measuredPorts.current === portKey) return;
    measuredPorts.current = portKey;
    updateNodeInternals(id);
  }, [id, portKey, updateNodeInternals]);

  const typeName = descriptor ? localized(descriptor.displayName) : data.type;
  const classes = ['dz-node', `dz-cat-${descriptor?.category.name ?? 'unknown'}`];
  if (selected) classes.push('dz-selected');
  if (decoration?.errors?.length) classes.push('dz-has-error');
  if (decoration?.run) classes.push(`dz-run-${decoration.run}`);
  return (
    <div className={classes.join(' ')} data-testid={`node-${id}`}>
      {data.type !== START_TYPE && <Handle type="target" position={Position.Left} id={IN_PORT} className="dz-in" />}
      <div className="dz-node-head">
        <CategoryIcon category={descriptor?.category.name} />
        <span className="dz-node-title">{data.displayName || typeName}</span>
        {decoration?.order !== undefined && <span className="dz-node-order">{decoration.order}</span>}
        {decoration?.errors?.length ? (
          <Tooltip title={decoration.errors.join('\n')}>
            <WarningFilled className="dz-node-error" data-testid={`node-error-${id}`} />
          </Tooltip>
        ) : null}
      </div>
      {/* The id is a code: on hover only (the property panel shows and edits it). */}
      <div className="dz-node-sub" title={id}>
        {descriptor ? typeName : t('designer.unknownType')}
      </div>
      {ports.length > 0 && (
        <div className="dz-ports">
          {ports.map((p) => (
            <div key={p.name} className="dz-port" title={p.label === p.name ? undefined : p.name}>
              <span>{p.label}</span>
              <Handle type="source" position={Position.Right} id={p.name} className="dz-out" />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export default memo(ActivityNodeView);
