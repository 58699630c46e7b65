// Manual gates per Canary, as Flagger's load tester keeps them: closed until someone opens them.
export class GateStore {
  private readonly open = new Set<string>();

  set(key: string, open: boolean): void {
    if (open) this.open.add(key);
    else this.open.delete(key);
  }

  isOpen(key: string): boolean {
    return this.open.has(key);
  }
}

export const gateKey = (payload: { name?: unknown; namespace?: unknown }) =>
  `${String(payload.namespace ?? '')}/${String(payload.name ?? '')}`;
