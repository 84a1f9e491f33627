// Strings of the shared parts built for the resident pages and the console (task form, timeline, errors).
import { addStrings } from './i18n';

export const zh = {
  'common.required': '必填',
  'common.fillRequired': '请填写：{{fields}}',
  'common.yes': '是',
  'common.no': '否',
  'common.choose': '请选择',
  'common.due': '办理时限 {{time}}',
  'common.overdue': '已超期',
  'common.hoursLeft': '剩余 {{n}} 小时',
  'common.daysLeft': '剩余 {{n}} 天',
  'common.retry': '重试',
  'common.empty': '暂无内容',
  'common.taskDone': '已办理：{{outcome}}',
  'common.by': '{{name}}',
  'common.photos': '照片',
  'common.cannotUndo': '提交后不能撤回。',
  'common.confirmOk': '确定',
  'common.confirmCancel': '再想想',
  'common.confirmOutcome': '确定选择「{{outcome}}」？',
  'common.outcomeGoesOn': '将按「{{outcome}}」办理，流程进入下一步。',
};

export const en: typeof zh = {
  'common.required': 'required',
  'common.fillRequired': 'Please fill in: {{fields}}',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.choose': 'Choose',
  'common.due': 'Due {{time}}',
  'common.overdue': 'Overdue',
  'common.hoursLeft': '{{n}} h left',
  'common.daysLeft': '{{n}} days left',
  'common.retry': 'Retry',
  'common.empty': 'Nothing here yet',
  'common.taskDone': 'Done: {{outcome}}',
  'common.by': '{{name}}',
  'common.photos': 'Photos',
  'common.cannotUndo': ' This cannot be undone.',
  'common.confirmOk': 'Go ahead',
  'common.confirmCancel': 'Not yet',
  'common.confirmOutcome': 'Choose "{{outcome}}"?',
  'common.outcomeGoesOn': 'The task ends as "{{outcome}}" and the workflow moves on.',
};

addStrings(zh, en);
