import type { Role } from '../src-shared/api';
import type { AccountRecord, Store, UserRecord } from './store/types';
import { hashToken, newApiToken } from './util/tokens';

export async function createAccount(store: Store, name: string): Promise<AccountRecord> {
  return store.createAccount({ name });
}

/** Creates a user with a fresh API token; the token is returned here once and stored hashed. */
export async function createUser(
  store: Store,
  input: { accountId: string; email: string; name: string; role: Role },
): Promise<{ user: UserRecord; token: string }> {
  const token = newApiToken();
  const user = await store.createUser({ ...input, tokenHash: hashToken(token) });
  return { user, token };
}
