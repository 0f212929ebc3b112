import { gcm } from '@noble/ciphers/aes.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { EvaluationFailure } from './expression.error.js';
import type { ExpressionFunction } from './expression.callables.js';
import { base64decode, base64encode, utf8Text } from './expression.text-filters.js';
import { typeOf, type Value } from './expression.values.js';

/**
 * Kestra's `encrypt(key, plaintext)` / `decrypt(key, encrypted)` (EncryptionService): AES/GCM
 * with a 128-bit tag, the key given in base64, the 12-byte IV written before the cipher text,
 * the whole in base64. Empty text stays empty. The IV is drawn from the context's seeded source
 * (expression.random.ts): rendering the same context again gives the same text, as replays need.
 */
const IV_LENGTH = 12;

const keyOf = (key: Value, fn: string): Uint8Array => {
  if (typeof key !== 'string') throw new EvaluationFailure(`The '${fn}' function expects an argument 'key' of type string, got ${typeOf(key)}`);
  let bytes: Uint8Array;
  try {
    bytes = base64decode(key);
  } catch {
    throw new EvaluationFailure(`${fn}(): the key must be base64`);
  }
  if (![16, 24, 32].includes(bytes.length)) throw new EvaluationFailure(`${fn}(): invalid AES key length ${bytes.length} bytes (16, 24 or 32)`);
  return bytes;
};

export const CRYPTO_FUNCTIONS: Readonly<Record<string, ExpressionFunction>> = {
  encrypt: {
    params: ['key', 'plaintext'],
    apply: ({ key, plaintext }, env) => {
      if (key === undefined || plaintext === undefined) throw new EvaluationFailure("The 'encrypt' function expects two arguments 'key' and 'plaintext'.");
      if (plaintext === null || plaintext === '') return plaintext;
      if (typeof plaintext !== 'string') throw new EvaluationFailure(`encrypt(): plaintext must be text, got ${typeOf(plaintext)}`);
      const iv = env.random().slice(0, IV_LENGTH);
      return base64encode(concatBytes(iv, gcm(keyOf(key, 'encrypt'), iv).encrypt(utf8ToBytes(plaintext))));
    },
  },
  decrypt: {
    params: ['key', 'encrypted'],
    apply: ({ key, encrypted }) => {
      if (key === undefined || encrypted === undefined) throw new EvaluationFailure("The 'decrypt' function expects two arguments 'key' and 'encrypted'.");
      if (encrypted === null || encrypted === '') return encrypted;
      if (typeof encrypted !== 'string') throw new EvaluationFailure(`decrypt(): encrypted must be text, got ${typeOf(encrypted)}`);
      const secretKey = keyOf(key, 'decrypt');
      let bytes: Uint8Array;
      try {
        bytes = base64decode(encrypted);
      } catch {
        throw new EvaluationFailure('decrypt(): the encrypted text must be base64');
      }
      if (bytes.length < IV_LENGTH + 16) throw new EvaluationFailure('decrypt(): the encrypted text is too short');
      try {
        return utf8Text(gcm(secretKey, bytes.slice(0, IV_LENGTH)).decrypt(bytes.slice(IV_LENGTH)));
      } catch (error) {
        if (error instanceof EvaluationFailure) throw error;
        throw new EvaluationFailure('decrypt(): Tag mismatch! (wrong key or altered text)');
      }
    },
  },
};
