// Region and credentials for SDK clients that talk to local servers (dynalite, fauxqs): nothing looks for real ones.
export const FAKE_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
} as const;
