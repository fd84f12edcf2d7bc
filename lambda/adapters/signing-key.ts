// The verdict links' signing key, read from Secrets Manager on first use and kept for the life of the container.

import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import { lazily } from '../core/lazily';

/** Loaded on the first read, not at import: the poll function's cold start does not pay for a client it may not use. */
const secretsManager = lazily(() => require('@aws-sdk/client-secrets-manager') as typeof SecretsManager);

/**
 * A key read once per container; a failed read is not kept, so the next call tries again. Without `client`, one is
 * built with the Lambda environment's region and credentials on the first read.
 */
export function secretSigningKey(
  secretId: string,
  client?: SecretsManager.SecretsManagerClient,
): () => Promise<string> {
  let key: Promise<string> | undefined;
  const read = async () => {
    const { GetSecretValueCommand, SecretsManagerClient } = secretsManager();
    const output = await (client ?? new SecretsManagerClient({})).send(
      new GetSecretValueCommand({ SecretId: secretId }),
    );
    const value = output.SecretString;
    // The stack generates 64 characters; anything much shorter is not the secret it made.
    if (value === undefined || value.length < 32) throw new Error(`secret ${secretId} holds no signing key`);
    return value;
  };
  return () => {
    key ??= read();
    key.catch(() => {
      key = undefined;
    });
    return key;
  };
}
