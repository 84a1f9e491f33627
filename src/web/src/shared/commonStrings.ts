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
  'common.doneOnTime': '{{time}} 按期完成',
  'common.doneLate': '{{time}} 逾期完成',
  'common.retry': '重试',
  'common.empty': '暂无内容',
  'common.taskDone': '已办理：{{outcome}}',
  'common.by': '{{name}}',
  'common.photos': '照片',
  'common.dueBy': '完成时限：{{date}}',
  'common.postedUntil': '公示至 {{date}}',
  'common.closingReport': '事项办结报告（PDF）',
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
  'common.doneOnTime': 'done on time, {{time}}',
  'common.doneLate': 'done late, {{time}}',
  'common.retry': 'Retry',
  'common.empty': 'Nothing here yet',
  'common.taskDone': 'Done: {{outcome}}',
  'common.by': '{{name}}',
  'common.photos': 'Photos',
  'common.dueBy': 'Due by {{date}}',
  'common.postedUntil': 'Posted until {{date}}',
  'common.closingReport': 'Closing report (PDF)',
};

addStrings(zh, en);
