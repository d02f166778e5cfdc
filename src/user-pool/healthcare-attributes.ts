import { aws_cognito as cognito } from 'aws-cdk-lib';

/**
 * The definition of one healthcare custom attribute on the user pool.
 */
export interface HealthcareAttributeDefinition {
  /** Attribute name without the `custom:` prefix, for example `clinic_id`. */
  readonly name: string;
  /** Minimum length Cognito enforces. */
  readonly minLength: number;
  /** Maximum length Cognito enforces. */
  readonly maxLength: number;
  /**
   * Whether users may change the attribute themselves through the app client.
   * Identity attributes are changed only by the backend through Admin API calls.
   */
  readonly userWritable: boolean;
  /** What the attribute holds and the format the sign-up validator enforces. */
  readonly description: string;
}

// The schema is append-only: changing or removing an entry makes CloudFormation replace the
// user pool, and every user is lost. test/user-pool/healthcare-attributes.test.ts freezes it.
const DEFINITIONS: HealthcareAttributeDefinition[] = [
  {
    name: 'medical_license',
    minLength: 1,
    maxLength: 64,
    userWritable: false,
    description: 'Medical license number, 1-64 characters.',
  },
  {
    name: 'license_state',
    minLength: 2,
    maxLength: 10,
    userWritable: false,
    description: 'Jurisdiction that issued the license, a 2-10 character code.',
  },
  {
    name: 'specialties',
    minLength: 2,
    maxLength: 2048,
    userWritable: true,
    description: 'JSON array of medical specialties, at most 2048 characters.',
  },
  {
    name: 'clinic_id',
    minLength: 36,
    maxLength: 36,
    userWritable: false,
    description: 'UUID of the clinic the user belongs to.',
  },
  {
    name: 'user_role',
    minLength: 1,
    maxLength: 32,
    userWritable: false,
    description: 'System role, one of the configured healthcare roles.',
  },
  {
    name: 'preferred_language',
    minLength: 2,
    maxLength: 8,
    userWritable: true,
    description: 'Preferred language: ar or fr, with en as the fallback.',
  },
  {
    name: 'npi_number',
    minLength: 10,
    maxLength: 10,
    userWritable: false,
    description: 'National Provider Identifier: 10 digits passing the Luhn check over prefix 80840.',
  },
];

/**
 * The seven healthcare custom attributes MedFlow's backend relies on.
 */
export class HealthcareAttributes {
  /** Every attribute definition, in schema order. */
  public static definitions(): HealthcareAttributeDefinition[] {
    return DEFINITIONS.map((definition) => ({ ...definition }));
  }

  /**
   * Attributes that identify and authorize a user. No app client may let users write them;
   * they change only through the backend's Admin API calls.
   */
  public static identityAttributeNames(): string[] {
    return DEFINITIONS.filter((d) => !d.userWritable).map((d) => `custom:${d.name}`);
  }

  /** Attributes users may change themselves. */
  public static userWritableAttributeNames(): string[] {
    return DEFINITIONS.filter((d) => d.userWritable).map((d) => `custom:${d.name}`);
  }

  /** The attributes as CDK custom attribute definitions for `UserPoolProps.customAttributes`. */
  public static toCustomAttributes(): Record<string, cognito.ICustomAttribute> {
    const attributes: Record<string, cognito.ICustomAttribute> = {};
    for (const d of DEFINITIONS) {
      attributes[d.name] = new cognito.StringAttribute({ minLen: d.minLength, maxLen: d.maxLength, mutable: true });
    }
    return attributes;
  }

  private constructor() {}
}
