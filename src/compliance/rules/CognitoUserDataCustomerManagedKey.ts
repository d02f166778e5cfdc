import { USER_POOL, holdsPhi, whenPoolApplies } from './cognito-lookups';
import { HealthcareRule, presentAt, primitiveAt } from './rule';

/**
 * User pools holding PHI encrypt their user data with a customer-managed KMS key
 * (`KeyConfiguration.KeyType: CUSTOMER_MANAGED_KEY` with a `KmsKeyArn`).
 * Supports HIPAA 164.312(a)(2)(iv), encryption and decryption.
 */
export const CognitoUserDataCustomerManagedKey: HealthcareRule = {
  id: 'CognitoUserDataCustomerManagedKey',
  control: '164.312(a)(2)(iv)',
  controlTitle: 'Encryption and decryption',
  resourceTypes: [USER_POOL],
  granular: false,
  info: 'The user pool holding PHI does not encrypt its user data with a customer-managed key '
    + '(KeyConfiguration.KeyType is not CUSTOMER_MANAGED_KEY with a KmsKeyArn).',
  explanation: 'HIPAA 164.312(a)(2)(iv) asks for a mechanism to encrypt and decrypt ePHI. With an AWS owned key, which is the default, '
    + 'the clinic can neither restrict nor audit the use of the key that protects its staff\'s and patients\' identities; '
    + 'a customer-managed key has a key policy the clinic controls, CloudTrail records of every use, rotation, and can be disabled. '
    + 'A pool holds PHI when the library recorded it as production or classified PHI (medflow:environment metadata); '
    + 'for other pools, when it is production as for CognitoProductionMfa or tagged DataClassification=PHI.',
  evaluate(pool, context) {
    return whenPoolApplies(pool, context, holdsPhi, (outcome) => outcome.check('', () =>
      // Without KeyConfiguration, Cognito encrypts user data with an AWS owned key.
      primitiveAt(pool.properties, 'KeyConfiguration.KeyType') !== 'CUSTOMER_MANAGED_KEY'
        || !presentAt(pool.properties, 'KeyConfiguration.KmsKeyArn')));
  },
};
