import { PHYSICIAN_ATTRIBUTES, PRE_SIGN_UP_SOURCES, USER_POOL_ID, USERNAME, lineCollector, preSignUpEvent } from './events';
import { TEST_USER_HASH, expectedUserHash } from './user-hash-fixture';
import { createPreSignUpHandler, rolesFromEnv } from '../../src/triggers/sign-up/pre-sign-up-handler';
import { HealthcareAttributeValidator } from '../../src/user-pool/healthcare-attribute-validator';

function setup(roles: string[] = HealthcareAttributeValidator.defaultRoles(), clinicalRoles = HealthcareAttributeValidator.defaultClinicalRoles()) {
  const log = lineCollector();
  return { log, handler: createPreSignUpHandler({ roles: () => ({ roles, clinicalRoles }), write: log.write, userHash: TEST_USER_HASH }) };
}

describe('PreSignUp trigger', () => {
  test.each(PRE_SIGN_UP_SOURCES)('%s: valid attributes pass and the event comes back unchanged', async (source) => {
    const { handler, log } = setup();
    const event = preSignUpEvent(source);
    const expected = JSON.parse(JSON.stringify(event));
    await expect(handler(event)).resolves.toEqual(expected);
    expect(log.records()).toEqual([{ level: 'INFO', trigger: 'PreSignUp', event: 'sign_up_accepted', userHash: expectedUserHash(USER_POOL_ID, USERNAME), triggerSource: source }]);
  });

  test.each(PRE_SIGN_UP_SOURCES)('%s: invalid attributes reject the sign-up with one message listing every problem', async (source) => {
    const { handler, log } = setup();
    const event = preSignUpEvent(source, {
      ...PHYSICIAN_ATTRIBUTES,
      'custom:npi_number': '1234567890',
      'custom:clinic_id': 'not-a-uuid',
      'custom:preferred_language': 'de',
    });
    await expect(handler(event)).rejects.toThrow(
      /^The healthcare attributes were rejected \(3 problems\): \(1\) custom:npi_number fails the Luhn check .* \(2\) custom:clinic_id must be a lowercase UUID .* \(3\) custom:preferred_language must be one of: ar, fr, en\.$/,
    );
    const records = log.records();
    expect(records.find((r) => r.event === 'sign_up_rejected')).toEqual({
      level: 'INFO',
      trigger: 'PreSignUp',
      event: 'sign_up_rejected',
      userHash: expectedUserHash(USER_POOL_ID, USERNAME),
      triggerSource: source,
      problems: ['custom:npi_number:NPI_CHECK_DIGIT', 'custom:clinic_id:CLINIC_ID_FORMAT', 'custom:preferred_language:PREFERRED_LANGUAGE_UNSUPPORTED'],
    });
    expect(records.find((r) => r.SignUpRejected === 1)).toMatchObject({ UserPoolId: USER_POOL_ID, triggerSource: source });
  });

  test('a physician created without license and NPI is rejected; a receptionist is not', async () => {
    const { handler } = setup();
    const { 'custom:npi_number': _n, 'custom:medical_license': _l, ...rest } = PHYSICIAN_ATTRIBUTES;
    await expect(handler(preSignUpEvent('PreSignUp_AdminCreateUser', rest))).rejects.toThrow(/custom:medical_license is required for clinical roles/);
    await expect(handler(preSignUpEvent('PreSignUp_AdminCreateUser', { ...rest, 'custom:user_role': 'receptionist' }))).resolves.toBeDefined();
  });

  test('the configured roles decide which user_role values pass', async () => {
    const { handler } = setup(['clinic_admin', 'physician', 'nurse', 'receptionist', 'pharmacist']);
    const pharmacist = { ...PHYSICIAN_ATTRIBUTES, 'custom:user_role': 'pharmacist' };
    await expect(handler(preSignUpEvent('PreSignUp_AdminCreateUser', pharmacist))).resolves.toBeDefined();
    await expect(setup().handler(preSignUpEvent('PreSignUp_AdminCreateUser', pharmacist))).rejects.toThrow(/custom:user_role must be one of: clinic_admin, physician, nurse, receptionist\./);
  });

  test.each([
    ['an unknown triggerSource', { ...preSignUpEvent('PreSignUp_SignUp'), triggerSource: 'PreSignUp_Migration' }, /PreSignUp trigger received an invalid event: triggerSource "PreSignUp_Migration" is not handled/],
    ['a missing userAttributes', { ...preSignUpEvent('PreSignUp_SignUp'), request: {} }, /request\.userAttributes is missing or not an object/],
    ['a missing userName', { ...preSignUpEvent('PreSignUp_SignUp'), userName: '' }, /userName is missing or empty/],
  ])('%s is a clear, logged error', async (_name, event, message) => {
    const { handler, log } = setup();
    await expect(handler(event)).rejects.toThrow(message);
    expect(log.records()).toEqual([expect.objectContaining({ level: 'ERROR', event: 'invalid_event', reason: expect.stringMatching(message) })]);
  });

  test('HEALTHCARE_ROLES and CLINICAL_ROLES are JSON arrays of valid roles; no clinical role is allowed', () => {
    expect(rolesFromEnv({ HEALTHCARE_ROLES: '["clinic_admin","physician"]', CLINICAL_ROLES: '["physician"]' }))
      .toEqual({ roles: ['clinic_admin', 'physician'], clinicalRoles: ['physician'] });
    expect(rolesFromEnv({ HEALTHCARE_ROLES: '["clinic_admin"]', CLINICAL_ROLES: '[]' })).toEqual({ roles: ['clinic_admin'], clinicalRoles: [] });
    expect(() => rolesFromEnv({ CLINICAL_ROLES: '[]' })).toThrow(/HEALTHCARE_ROLES must be a JSON array of role names/);
    expect(() => rolesFromEnv({ HEALTHCARE_ROLES: '["physician"]' })).toThrow(/CLINICAL_ROLES must be a JSON array of role names/);
    expect(() => rolesFromEnv({ HEALTHCARE_ROLES: '["Physician"]', CLINICAL_ROLES: '[]' })).toThrow(/HEALTHCARE_ROLES is invalid: role 1 must be 1-32 characters of a-z, 0-9 and _/);
    expect(() => rolesFromEnv({ HEALTHCARE_ROLES: '[]', CLINICAL_ROLES: '[]' })).toThrow(/HEALTHCARE_ROLES is invalid: the role list must be a non-empty array/);
  });

  test('the configured clinical roles decide who needs a license and an NPI', async () => {
    const { 'custom:npi_number': _n, 'custom:medical_license': _l, ...rest } = PHYSICIAN_ATTRIBUTES;
    const roles = HealthcareAttributeValidator.defaultRoles();
    await expect(setup(roles, []).handler(preSignUpEvent('PreSignUp_AdminCreateUser', rest))).resolves.toBeDefined();
    await expect(setup(roles, ['receptionist']).handler(preSignUpEvent('PreSignUp_AdminCreateUser', { ...rest, 'custom:user_role': 'receptionist' })))
      .rejects.toThrow(/custom:npi_number is required for clinical roles \(receptionist\)/);
  });
});
