// Asking before what cannot be undone: one dialog for the console and the resident pages, saying what will happen.
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import './commonStrings';

export interface ConfirmOptions {
  /** What the person is about to do, as a question ("确定办结？"). */
  title: string;
  /** What will happen, in plain words; the dialog adds that it cannot be undone. */
  content: string;
  okText?: string;
  danger?: boolean;
  /** It can be undone (retiring a node, deactivating an account): the dialog does not say it cannot. */
  reversible?: boolean;
}

/** `confirm(options)` resolves to true when the person went ahead, false when they cancelled. */
export function useConfirm() {
  const { modal } = App.useApp();
  const { t } = useTranslation();
  return (options: ConfirmOptions) =>
    new Promise<boolean>((resolve) => {
      modal.confirm({
        title: options.title,
        content: options.reversible ? options.content : `${options.content}${t('common.cannotUndo')}`,
        okText: options.okText ?? t('common.confirmOk'),
        cancelText: t('common.confirmCancel'),
        okButtonProps: { danger: options.danger, ...({ 'data-testid': 'confirm-ok' } as object) },
        cancelButtonProps: { ...({ 'data-testid': 'confirm-cancel' } as object) },
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      });
    });
}
