import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { HeliomeshError } from '@heliomesh/util';

const VERSION = 1;

/**
 * AES-256-GCM for secrets at rest (cluster kubeconfigs). Layout: version byte, 12-byte nonce,
 * 16-byte tag, ciphertext. The key comes from the environment and never touches the database.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyBase64: string) {
    const key = Buffer.from(keyBase64, 'base64');
    if (key.length !== 32)
      throw new HeliomeshError({
        code: 'CONFIG_SECRET_KEY',
        status: 500,
        message: 'CLUSTER_SECRET_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32).',
      });
    this.key = key;
  }

  seal(plaintext: string): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer): string {
    if (sealed.length < 29 || sealed[0] !== VERSION)
      throw new HeliomeshError({
        code: 'SECRET_UNREADABLE',
        status: 500,
        message: 'A stored secret has an unknown format.',
      });
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 13));
    decipher.setAuthTag(sealed.subarray(13, 29));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
    } catch (err) {
      throw new HeliomeshError({
        code: 'SECRET_UNREADABLE',
        status: 500,
        message: 'A stored secret cannot be decrypted: was CLUSTER_SECRET_KEY changed?',
        cause: err,
      });
    }
  }
}
