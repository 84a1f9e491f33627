// An icon per activity category (the one thing the web code adds to the descriptors).
import {
  ApartmentOutlined,
  BellOutlined,
  BranchesOutlined,
  ClockCircleOutlined,
  CodeOutlined,
  FileTextOutlined,
  LikeOutlined,
  TeamOutlined,
  ToolOutlined,
  UserOutlined,
  AppstoreOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

const icons: Record<string, ReactNode> = {
  Flow: <BranchesOutlined />,
  Primitives: <CodeOutlined />,
  Time: <ClockCircleOutlined />,
  Human: <UserOutlined />,
  Matters: <FileTextOutlined />,
  Meetings: <TeamOutlined />,
  Voting: <ApartmentOutlined />,
  Execution: <ToolOutlined />,
  Ratings: <LikeOutlined />,
  Notices: <BellOutlined />,
};

export function CategoryIcon({ category }: { category?: string }) {
  return <span className="dz-icon">{(category && icons[category]) || <AppstoreOutlined />}</span>;
}
