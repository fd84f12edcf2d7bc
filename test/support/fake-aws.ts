// Region and credentials for SDK clients that talk to local servers (dynalite, fauxqs): nothing looks for real ones.
import path from 'node:path';

export const FAKE_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
} as const;

/**
 * The environment of a user's shell for a CLI run against local servers: no AWS config or credentials file in `home`,
 * no instance metadata, the given endpoints (`AWS_ENDPOINT_URL_SNS`, ...), the fake keys unless `credentials` is
 * false, and the fake region unless `region` is false (the CLI then takes it from the topic ARN).
 */
export function localCliEnv(
  home: string,
  endpoints: NodeJS.ProcessEnv,
  options: { credentials?: boolean; region?: boolean } = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(options.region === false ? {} : { AWS_REGION: FAKE_AWS.region }),
    ...(options.credentials === false
      ? {}
      : {
          AWS_ACCESS_KEY_ID: FAKE_AWS.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: FAKE_AWS.credentials.secretAccessKey,
        }),
    ...endpoints,
  };
}
