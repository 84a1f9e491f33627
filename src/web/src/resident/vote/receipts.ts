// Receipt codes kept on this device: the server keeps only their hashes, so if the voter loses the code
// nobody can give it back. They are needed to check a ballot was counted, and to change a secret vote.
export interface KeptReceipt { ballotId: string; title: string; code: string; choice: string; at: string }

const KEY = 'deliberate.receipts';

export function keptReceipts(): KeptReceipt[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as KeptReceipt[]) : [];
  } catch {
    return [];
  }
}

export function keepReceipt(receipt: KeptReceipt) {
  const others = keptReceipts().filter((r) => r.ballotId !== receipt.ballotId);
  localStorage.setItem(KEY, JSON.stringify([receipt, ...others]));
}

export function keptReceiptFor(ballotId: string): KeptReceipt | undefined {
  return keptReceipts().find((r) => r.ballotId === ballotId);
}
