import { HealthcareAttributes } from '../../src';
import { PRESET_NAMES, synthesize } from '../helpers';

// Frozen on purpose. Changing or removing any line replaces the user pool in CloudFormation and
// deletes every user. Only appending a new attribute is safe.
const FROZEN_SCHEMA = [
  { AttributeDataType: 'String', Mutable: true, Name: 'medical_license', StringAttributeConstraints: { MinLength: '1', MaxLength: '64' } },
  { AttributeDataType: 'String', Mutable: true, Name: 'license_state', StringAttributeConstraints: { MinLength: '2', MaxLength: '10' } },
  { AttributeDataType: 'String', Mutable: true, Name: 'specialties', StringAttributeConstraints: { MinLength: '2', MaxLength: '2048' } },
  { AttributeDataType: 'String', Mutable: true, Name: 'clinic_id', StringAttributeConstraints: { MinLength: '36', MaxLength: '36' } },
  { AttributeDataType: 'String', Mutable: true, Name: 'user_role', StringAttributeConstraints: { MinLength: '1', MaxLength: '32' } },
  { AttributeDataType: 'String', Mutable: true, Name: 'preferred_language', StringAttributeConstraints: { MinLength: '2', MaxLength: '8' } },
  { AttributeDataType: 'String', Mutable: true, Name: 'npi_number', StringAttributeConstraints: { MinLength: '10', MaxLength: '10' } },
];
const FROZEN_STANDARD = [
  { Name: 'email', Required: true, Mutable: true },
  { Name: 'given_name', Required: false, Mutable: true },
  { Name: 'family_name', Required: false, Mutable: true },
  { Name: 'phone_number', Required: false, Mutable: true },
  { Name: 'locale', Required: false, Mutable: true },
];

describe('healthcare attribute schema', () => {
  test.each(PRESET_NAMES)('%s user pool schema is exactly the frozen one', (preset) => {
    const pool = Object.values(synthesize(preset).template.findResources('AWS::Cognito::UserPool'))[0];
    expect(pool.Properties.Schema).toEqual([...FROZEN_STANDARD, ...FROZEN_SCHEMA]);
  });

  test('definitions match the frozen schema in order', () => {
    expect(HealthcareAttributes.definitions().map((d) => ({ name: d.name, min: d.minLength, max: d.maxLength })))
      .toEqual(FROZEN_SCHEMA.map((s) => ({
        name: s.Name,
        min: Number(s.StringAttributeConstraints.MinLength),
        max: Number(s.StringAttributeConstraints.MaxLength),
      })));
  });

  test('identity attributes are the five only the backend may change', () => {
    expect(HealthcareAttributes.identityAttributeNames().sort()).toEqual(
      ['custom:clinic_id', 'custom:license_state', 'custom:medical_license', 'custom:npi_number', 'custom:user_role'],
    );
    expect(HealthcareAttributes.userWritableAttributeNames().sort()).toEqual(['custom:preferred_language', 'custom:specialties']);
  });

  test('definitions() hands out copies', () => {
    const copy = HealthcareAttributes.definitions();
    (copy[0] as any).maxLength = 1;
    expect(HealthcareAttributes.definitions()[0].maxLength).toBe(64);
  });
});
