// The zh-CN designer speaks Chinese: no English words or codes in its strings beyond names of formats and keys.
import { zh } from './strings';

// Formats, products and keyboard keys a Chinese designer reads as they are.
const ALLOWED = new Set(['JSON', 'Elsa', 'JavaScript', 'Ctrl', 'Shift', 'Del', 'Z', 'C', 'V', 'A', 'repair-request']);

describe('the designer in zh-CN', () => {
  it('has no English words in its strings outside the allow list', () => {
    const found = Object.entries(zh).flatMap(([key, text]) =>
      (text.replace(/\{\{\w+\}\}/g, '').match(/[A-Za-z][A-Za-z0-9-]*/g) ?? [])
        .filter((w) => !ALLOWED.has(w))
        .map((w) => `${key}: ${w}`),
    );
    expect(found).toEqual([]);
  });
});
