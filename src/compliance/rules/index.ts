import { CognitoClientIdentityAttributesReadOnly } from './CognitoClientIdentityAttributesReadOnly';
import { CognitoClientNoUserPasswordAuthInProduction } from './CognitoClientNoUserPasswordAuthInProduction';
import { CognitoClientPreventUserExistenceErrors } from './CognitoClientPreventUserExistenceErrors';
import { CognitoClientSecretRotation } from './CognitoClientSecretRotation';
import { CognitoClientTokenValidity } from './CognitoClientTokenValidity';
import { CognitoDeletionProtection } from './CognitoDeletionProtection';
import { CognitoIdentityPoolAmbiguousRoleDeny } from './CognitoIdentityPoolAmbiguousRoleDeny';
import { CognitoIdentityPoolNoGuestAccess } from './CognitoIdentityPoolNoGuestAccess';
import { CognitoLockoutTriggers } from './CognitoLockoutTriggers';
import { CognitoPasswordPolicy } from './CognitoPasswordPolicy';
import { CognitoProductionEmailThroughSes } from './CognitoProductionEmailThroughSes';
import { CognitoProductionMfa } from './CognitoProductionMfa';
import { CognitoThreatProtectionBlocksRisk } from './CognitoThreatProtectionBlocksRisk';
import { CognitoThreatProtectionEnforced } from './CognitoThreatProtectionEnforced';
import { CognitoUserDataCustomerManagedKey } from './CognitoUserDataCustomerManagedKey';
import { CognitoUserPoolLogDelivery } from './CognitoUserPoolLogDelivery';
import { HealthcareRule } from './rule';

/** Every rule of MedflowHealthcareChecks, in report order. */
export const HEALTHCARE_RULES: readonly HealthcareRule[] = [
  CognitoPasswordPolicy,
  CognitoProductionMfa,
  CognitoThreatProtectionEnforced,
  CognitoThreatProtectionBlocksRisk,
  CognitoProductionEmailThroughSes,
  CognitoUserDataCustomerManagedKey,
  CognitoDeletionProtection,
  CognitoLockoutTriggers,
  CognitoUserPoolLogDelivery,
  CognitoClientPreventUserExistenceErrors,
  CognitoClientTokenValidity,
  CognitoClientNoUserPasswordAuthInProduction,
  CognitoClientIdentityAttributesReadOnly,
  CognitoClientSecretRotation,
  CognitoIdentityPoolNoGuestAccess,
  CognitoIdentityPoolAmbiguousRoleDeny,
];
