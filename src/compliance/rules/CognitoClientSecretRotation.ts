import { USER_POOL_CLIENT } from './cognito-lookups';
import { HealthcareRule, RenderedResource, RuleContext, RuleOutcome, UnresolvedValue, primitiveAt, referencedLogicalId, references } from './rule';

const ROTATION_SCHEDULE = 'AWS::SecretsManager::RotationSchedule';

/**
 * A Secrets Manager secret that holds a Cognito app client secret has a rotation schedule.
 * Supports HIPAA 164.308(a)(5)(ii)(D), password management.
 */
export const CognitoClientSecretRotation: HealthcareRule = {
  id: 'CognitoClientSecretRotation',
  control: '164.308(a)(5)(ii)(D)',
  controlTitle: 'Password management',
  resourceTypes: ['AWS::SecretsManager::Secret'],
  granular: false,
  info: 'The secret holds a Cognito app client secret and has no AWS::SecretsManager::RotationSchedule.',
  explanation: 'HIPAA 164.308(a)(5)(ii)(D) asks for procedures for changing credentials. An app client secret lets its '
    + 'holder act as the backend; without rotation a leaked copy works forever. A secret holds a client secret when its '
    + 'value comes from a client\'s ClientSecret attribute or from a custom resource that reads a client generating a '
    + 'secret, or when such a custom resource writes into the secret.',
  evaluate(secret, context) {
    if (!holdsClientSecret(secret, context)) return RuleOutcome.notApplicable();
    const schedules = context.template.ofType(ROTATION_SCHEDULE);
    const outcome = RuleOutcome.applicable();
    outcome.check('', () => {
      if (schedules.some((s) => referencedLogicalId(s.properties.SecretId) === secret.logicalId)) return false;
      const unknown = schedules.find((s) => referencedLogicalId(s.properties.SecretId) === undefined);
      if (unknown) {
        throw new UnresolvedValue(`${unknown.logicalId}.SecretId`, 'a rotation schedule names a secret that is not a reference to a secret in this stack');
      }
      return true;
    });
    return outcome;
  },
};

function holdsClientSecret(secret: RenderedResource, context: RuleContext): boolean {
  const clients = context.template.ofType(USER_POOL_CLIENT);
  // The value is the client's ClientSecret attribute.
  if (clients.some((client) => references(secret.properties, client.logicalId, 'ClientSecret'))) return true;
  const secretClients = clients.filter((client) => generatesSecret(client));
  const readers = context.template
    .matching((type) => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource')
    .filter((custom) => secretClients.some((client) => references(custom.properties, client.logicalId)));
  return readers.some((reader) =>
    // The value comes from a custom resource that reads the client (aws-cdk-lib's userPoolClientSecret) ...
    references(secret.properties, reader.logicalId)
    // ... or such a custom resource writes the value into the secret.
    || references(reader.properties, secret.logicalId));
}

function generatesSecret(client: RenderedResource): boolean {
  try {
    return primitiveAt(client.properties, 'GenerateSecret') === true;
  } catch (error) {
    if (error instanceof UnresolvedValue) return true; // may generate one: treat as holding a secret
    throw error;
  }
}
