/** 128 bits from a cryptographic source, as base64url: a fresh one for every webview HTML. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  cryptoSource().getRandomValues(bytes);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
}

interface RandomSource {
  getRandomValues(array: Uint8Array): Uint8Array;
}

function cryptoSource(): RandomSource {
  const web = (globalThis as { crypto?: RandomSource }).crypto;
  if (web?.getRandomValues) return web;
  // Node 18 extension hosts (VS Code 1.82-1.89) expose Web Crypto only through the module, not as a global.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeCrypto = require('node:crypto') as { webcrypto: RandomSource };
  return nodeCrypto.webcrypto;
}
