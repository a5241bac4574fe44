import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Official vectors (PROTOCOL.md §4.7). The committed copy is what tests read, so CI does not depend on
// where shared/ is checked out; vectors.test.ts checks the copy still matches shared/ when present.
export const VECTORS_PATH = fileURLToPath(new URL('./vectors.json', import.meta.url));

export interface PlainVector {
  token: string;
  timestamp: string;
  nonce: string;
  signature: string;
  echostr?: string;
}

export interface DecryptVector {
  id: string;
  token: string;
  encodingAESKey: string;
  appid: string;
  timestamp: string;
  nonce: string;
  msg_signature: string;
  query?: string;
  signature?: string;
  body?: string;
  encrypt?: string;
  expected_random16?: string;
  expected_plaintext: string;
  pad: number;
}

export interface EncryptVector {
  id: string;
  token: string;
  encodingAESKey: string;
  appid: string;
  random16: string;
  msg: string;
  expected_encrypt: string;
  timestamp?: string;
  nonce?: string;
  expected_msg_signature?: string;
}

export interface Vectors {
  url_verification_plain: PlainVector[];
  decrypt: DecryptVector[];
  encrypt_deterministic: EncryptVector[];
}

export const vectors = JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Vectors;
