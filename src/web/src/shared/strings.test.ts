// Every string table has the same keys in zh-CN and en: a key missing from one language shows its raw name.
import { describe, expect, it } from 'vitest';
import * as app from './strings';
import * as common from './commonStrings';
import * as resident from '../resident/strings';
import * as console_ from '../console/strings';
import * as designer from '../designer/strings';

const tables = {
  'shared/strings': app,
  'shared/commonStrings': common,
  'resident/strings': resident,
  'console/strings': console_,
  'designer/strings': designer,
};

describe('string tables', () => {
  it.each(Object.entries(tables))('%s has the same keys in zh-CN and en', (_, table) => {
    const zh = Object.keys(table.zh).sort();
    const en = Object.keys(table.en).sort();
    expect(en.filter((k) => !zh.includes(k))).toEqual([]);
    expect(zh.filter((k) => !en.includes(k))).toEqual([]);
    expect(zh.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(tables))('%s leaves no string empty', (_, table) => {
    const empty = [...Object.entries(table.zh), ...Object.entries(table.en)].filter(([, v]) => !String(v).trim());
    expect(empty).toEqual([]);
  });
});
