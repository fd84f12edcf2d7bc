// A self-signed certificate for 127.0.0.1 and localhost, made once per process, for the tests' HTTPS feed servers.
import { generate } from 'selfsigned';

export interface TlsCertificate {
  /** PEM private key. */
  key: string;
  /** PEM certificate; a client trusts the server by passing it as `ca`. */
  cert: string;
}

let made: Promise<TlsCertificate> | undefined;

/** The same certificate for every caller in this process (P-256: made in milliseconds, unlike RSA). */
export function localhostCertificate(): Promise<TlsCertificate> {
  made ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return made;
}
