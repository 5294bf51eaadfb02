/**
 * Explicit mocks for every provider function the package calls. An invoke with no
 * mock here fails the run with its token, so nothing silently returns nothing.
 */
export type InvokeMock = (inputs: Readonly<Record<string, unknown>>) => Record<string, unknown>;

const invokes = new Map<string, InvokeMock>();

export function addInvokeMocks(mocks: Readonly<Record<string, InvokeMock>>): void {
  for (const [token, mock] of Object.entries(mocks)) invokes.set(token, mock);
}

export class UnmockedInvokeError extends Error {
  constructor(readonly token: string) {
    super(`unmocked invoke '${token}': the offline engine has no mock for it; add one with addInvokeMocks (lib/offline/invokes.ts)`);
    this.name = "UnmockedInvokeError";
  }
}

export function mockInvoke(token: string, inputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const mock = invokes.get(token);
  if (!mock) throw new UnmockedInvokeError(token);
  return mock(inputs);
}

export function isInvokeMocked(token: string): boolean {
  return invokes.has(token);
}

export function mockedInvokeTokens(): string[] {
  return [...invokes.keys()].sort();
}
