// The verdict links' signing key, read from Secrets Manager on first use and kept for the life of the container.

import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** A key read once per container; a failed read is not kept, so the next call tries again. */
export function secretSigningKey(client: SecretsManagerClient, secretId: string): () => Promise<string> {
  let key: Promise<string> | undefined;
  return () => {
    key ??= client.send(new GetSecretValueCommand({ SecretId: secretId })).then((output) => {
      const value = output.SecretString;
      // Secrets Manager generates 64 characters; anything much shorter is not the secret the stack made.
      if (value === undefined || value.length < 32) throw new Error(`secret ${secretId} holds no signing key`);
      return value;
    });
    key.catch(() => {
      key = undefined;
    });
    return key;
  };
}
