// Encryption at rest for the history, the profile and saved checkout details: AES-GCM
// with a 256-bit key that is generated on the device as non-extractable and kept in the
// `keys` store, a fresh 96-bit IV per record, and the record's store, key and format
// version as additional data (so a record cannot be moved to another place unnoticed).
// What this does not stop: any script on the same page can ask the browser to decrypt
// with the key handle. It protects copies of the database files, not the live page.
import {VitrineError} from '../errors.js';

const KEY_ID = 'aes-gcm-256:1';
const encoder = new TextEncoder();

function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s)
    throw new VitrineError(
        'unsupported', 'WebCrypto is not available (a secure context is needed)');
  return s;
}

// A key this code can use: an AES-GCM CryptoKey for encrypt and decrypt.
function usable(key) {
  if (typeof CryptoKey === 'function' && !(key instanceof CryptoKey)) return false;
  return key?.type === 'secret' && key.algorithm?.name === 'AES-GCM' &&
      key.usages?.includes('encrypt') && key.usages.includes('decrypt');
}

const STREAM_PLACE = 'history/journal/stream';

export function xor(bytes, stream) {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; ++i) out[i] = bytes[i] ^ stream[i];
  return out;
}

function aad(place) {
  return encoder.encode(`vitrine:${place}`);
}

export class Sealer {
  #key;

  constructor(key) {
    this.#key = key;
  }

  // The key of this database, created on first use. Two tabs may race to create it: the
  // read-and-write runs in one transaction, so both end with whichever key landed first.
  // Anything else in the key's place (damaged, hostile) is replaced: what it sealed cannot
  // be opened anyway, and is quarantined when read.
  static async forStore(store) {
    const existing = await store.get('keys', KEY_ID);
    if (usable(existing)) return new Sealer(existing);
    const fresh =
        await subtle().generateKey({name: 'AES-GCM', length: 256}, false, ['encrypt', 'decrypt']);
    const key = await store.update(
        'keys', KEY_ID, (old) => (usable(old) ? undefined : fresh), {strict: true});
    return new Sealer(key);
  }

  // place: 'store/key/vN'. Returns { iv, data } (Uint8Arrays).
  async seal(bytes, place) {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const data =
        await subtle().encrypt({name: 'AES-GCM', iv, additionalData: aad(place)}, this.#key, bytes);
    return {iv, data: new Uint8Array(data)};
  }

  // A keystream for one record that must be written without waiting for the encryption
  // (an event right before the page is left): AES-GCM over zeros under a fresh IV, the tag
  // dropped, i.e. the AES-CTR keystream GCM would use. XOR with it encrypts; each IV is used
  // for one record only. Such a record is not authenticated (see openStream).
  async keystream(length) {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const out = await subtle().encrypt(
        {name: 'AES-GCM', iv, additionalData: aad(STREAM_PLACE)}, this.#key,
        new Uint8Array(length));
    return {iv, stream: new Uint8Array(out, 0, length)};
  }

  // Decrypts a record made with a keystream: the same keystream again, XORed. No tag: a
  // damaged or altered record decrypts to bytes the engine's snapshot decoder (CRC-checked)
  // then refuses; it is short-lived, folded into the sealed snapshot by the next write.
  async openStream(record, maxLength) {
    if (!(record?.iv instanceof Uint8Array) || record.iv.length !== 12 ||
        !(record.data instanceof Uint8Array) || record.data.length > maxLength) {
      throw new VitrineError('data_loss', 'stored journal record is malformed');
    }
    const out = await subtle().encrypt(
        {name: 'AES-GCM', iv: record.iv, additionalData: aad(STREAM_PLACE)}, this.#key,
        new Uint8Array(record.data.length));
    return xor(record.data, new Uint8Array(out, 0, record.data.length));
  }

  async open(sealed, place) {
    if (!(sealed?.iv instanceof Uint8Array) || sealed.iv.length !== 12 ||
        !(sealed.data instanceof Uint8Array)) {
      throw new VitrineError('data_loss', `stored ${place} is malformed`);
    }
    try {
      const plain = await subtle().decrypt(
          {name: 'AES-GCM', iv: sealed.iv, additionalData: aad(place)}, this.#key, sealed.data);
      return new Uint8Array(plain);
    } catch (cause) {
      throw Object.assign(
          new VitrineError(
              'data_loss', `stored ${place} does not decrypt (damaged, or another key)`),
          {cause});
    }
  }
}
