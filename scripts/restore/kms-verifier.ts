/* Verifies export manifest MACs with KMS VerifyMac, as the shell running the restore (it needs kms:VerifyMac on the key). */
import { KMSClient, VerifyMacCommand } from '@aws-sdk/client-kms';
import { MANIFEST_MAC_ALGORITHM, MacVerifier } from '../../src/operations/backup/export-integrity';

/**
 * VerifyMac answers MacValid true for a valid MAC and fails with KMSInvalidMacException for an invalid
 * one (AWS KMS API Reference, VerifyMac); that exception means "not valid", every other error means the
 * MAC could not be checked and is raised.
 */
export function kmsMacVerifier(keyId: string, client: Pick<KMSClient, 'send'> = new KMSClient({})): MacVerifier {
  return {
    async verifyMac(message, mac) {
      try {
        const out = await client.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: MANIFEST_MAC_ALGORITHM, Message: message, Mac: mac }));
        return out.MacValid === true;
      } catch (error) {
        if ((error as Error).name === 'KMSInvalidMacException') return false;
        throw error;
      }
    },
  };
}
