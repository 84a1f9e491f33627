// Receipt codes kept on this device, per person (a family may share one phone). The server also shows a signed-in
// owner their own code (GET /api/ballots/{id}/me); a code only checks that a ballot was counted, and changing a secret
// vote asks for the voter's own code as a confirmation.
export interface KeptReceipt {
  ballotId: string;
  title: string;
  code: string;
  choice: string;
  at: string;
}

const key = (userId: string) => `deliberate.receipts.${userId}`;

export function keptReceipts(userId: string): KeptReceipt[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(userId)) ?? '[]');
    return Array.isArray(parsed) ? (parsed as KeptReceipt[]) : [];
  } catch {
    return [];
  }
}

export function keepReceipt(userId: string, receipt: KeptReceipt) {
  const others = keptReceipts(userId).filter((r) => r.ballotId !== receipt.ballotId);
  localStorage.setItem(key(userId), JSON.stringify([receipt, ...others]));
}

export function keptReceiptFor(userId: string, ballotId: string): KeptReceipt | undefined {
  return keptReceipts(userId).find((r) => r.ballotId === ballotId);
}
