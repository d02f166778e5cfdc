/*
 * Integrity of a user export: the SHA-256 digest of every file, and a MAC over the manifest made with
 * a KMS HMAC key that only the export function may use for GenerateMac. Shared by the export Lambda and
 * the restore tool; only node:crypto, so both can bundle it.
 *
 * KMS facts relied on (AWS KMS API Reference, https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html
 * and API_VerifyMac.html; Developer Guide, https://docs.aws.amazon.com/kms/latest/developerguide/hmac.html): an HMAC key has KeySpec HMAC_256 and KeyUsage GENERATE_VERIFY_MAC; GenerateMac takes a
 * message of 1 to 4096 bytes and a MacAlgorithm (HMAC_SHA_256 for HMAC_256 keys); VerifyMac answers
 * MacValid true or fails with KMSInvalidMacException. Because the message is limited to 4096 bytes, the
 * MAC covers a SHA-256 of the manifest's canonical JSON, not the manifest itself.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const MANIFEST_MAC_ALGORITHM = 'HMAC_SHA_256';
/** Domain separation: a MAC made for anything else with the same key never verifies as a manifest's. */
const MESSAGE_PREFIX = 'medflow-user-export-manifest-v2\n';

/** The signature field of a manifest. `keyId` is informative only: the restore verifies with the key it is told to trust. */
export interface ManifestSignature {
  readonly algorithm: string;
  readonly keyId: string;
  /** Base64 of the MAC. */
  readonly mac: string;
}

/** Makes MACs with the export key (KMS GenerateMac in the Lambda; a local HMAC in tests). */
export interface MacGenerator {
  /** The key's ID or ARN, recorded in the manifest. */
  readonly keyId: string;
  generateMac(message: Uint8Array): Promise<Uint8Array>;
}

/** Checks MACs with the key the restorer trusts (KMS VerifyMac; a local HMAC in tests). */
export interface MacVerifier {
  /** Whether `mac` is the MAC of `message` under the trusted key; false when it is not, throws when it cannot tell. */
  verifyMac(message: Uint8Array, mac: Uint8Array): Promise<boolean>;
}

export function sha256Hex(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** JSON with object keys sorted at every level, so that the same manifest always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The bytes the MAC covers: a prefix and the SHA-256 of the manifest's canonical JSON without its signature. */
export function manifestMacMessage(manifest: object): Uint8Array {
  const { signature: _ignored, ...unsigned } = manifest as Record<string, unknown>;
  return Buffer.from(MESSAGE_PREFIX + sha256Hex(canonicalJson(unsigned)), 'utf8');
}

/** A local HMAC-SHA-256 with the MacGenerator and MacVerifier interfaces, for tests and tools without KMS. */
export class LocalHmac implements MacGenerator, MacVerifier {
  constructor(private readonly key: Uint8Array, public readonly keyId = 'local-hmac') {}

  public async generateMac(message: Uint8Array): Promise<Uint8Array> {
    return createHmac('sha256', this.key).update(message).digest();
  }

  public async verifyMac(message: Uint8Array, mac: Uint8Array): Promise<boolean> {
    const expected = createHmac('sha256', this.key).update(message).digest();
    return mac.length === expected.length && timingSafeEqual(expected, mac);
  }
}
