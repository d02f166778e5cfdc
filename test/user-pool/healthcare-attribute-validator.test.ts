import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { HealthcareAttributeValidator, HealthcareAttributes } from '../../src';

const NPI = 'custom:npi_number';
const CLINIC = 'custom:clinic_id';
const ROLE = 'custom:user_role';
const LANGUAGE = 'custom:preferred_language';
const SPECIALTIES = 'custom:specialties';
const LICENSE = 'custom:medical_license';
const STATE = 'custom:license_state';
const ROLES = HealthcareAttributeValidator.defaultRoles();

// ---- Oracles written from the specification, independently of the implementation ----

/** CMS check-digit algorithm: double alternate digits of the 9-digit base from the right, add 24. */
function npiOracle(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 10 || [...value].some((c) => c < '0' || c > '9')) return false;
  const base = value.slice(0, 9).split('').map(Number);
  let sum = 24;
  base.forEach((digit, i) => {
    if (i % 2 === 0) {
      const doubled = digit * 2;
      sum += Math.floor(doubled / 10) + (doubled % 10);
    } else {
      sum += digit;
    }
  });
  return (10 - (sum % 10)) % 10 === Number(value[9]);
}

const HEX = '0123456789abcdef';
function uuidOracle(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 36) return false;
  return [...value].every((c, i) => ([8, 13, 18, 23].includes(i) ? c === '-' : HEX.includes(c)))
    && value !== '00000000-0000-0000-0000-000000000000';
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function licenseOracle(value: unknown): boolean {
  if (typeof value !== 'string' || value.length < 1 || value.length > 64) return false;
  return ALNUM.includes(value[0]) && ALNUM.includes(value[value.length - 1])
    && [...value].every((c) => ALNUM.includes(c) || ' ./-'.includes(c));
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
function stateOracle(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const [country, subdivision, ...rest] = value.split('-');
  if (rest.length > 0 || country.length !== 2 || ![...country].every((c) => UPPER.includes(c))) return false;
  return subdivision === undefined
    || (subdivision.length >= 1 && subdivision.length <= 3 && [...subdivision].every((c) => UPPER.includes(c) || '0123456789'.includes(c)));
}

function specialtiesOracle(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  let parsed: unknown;
  try { parsed = JSON.parse(value); } catch { return false; }
  if (!Array.isArray(parsed) || parsed.length > 20) return false;
  if (!parsed.every((s) => typeof s === 'string' && s.trim().length > 0)) return false;
  const normalized = parsed.map((s: string) => s.trim().toLowerCase());
  return new Set(normalized).size === normalized.length;
}

const ORACLES: Record<string, (value: unknown) => boolean> = {
  [NPI]: npiOracle,
  [CLINIC]: uuidOracle,
  [ROLE]: (v) => typeof v === 'string' && ROLES.includes(v),
  [LANGUAGE]: (v) => v === 'ar' || v === 'fr' || v === 'en',
  [SPECIALTIES]: specialtiesOracle,
  [LICENSE]: licenseOracle,
  [STATE]: stateOracle,
};

// ---- Generators ----

const digit = fc.integer({ min: 0, max: 9 });
const validNpi = fc.array(digit, { minLength: 9, maxLength: 9 }).map((base) => {
  for (let check = 0; check <= 9; check++) {
    const candidate = `${base.join('')}${check}`;
    if (npiOracle(candidate)) return candidate;
  }
  throw new Error('no check digit');
});
const charFrom = (chars: string) => fc.constantFrom(...chars.split(''));
const validLicense = fc.oneof(
  charFrom(ALNUM),
  fc.tuple(charFrom(ALNUM), fc.array(charFrom(`${ALNUM} ./-`), { maxLength: 62 }), charFrom(ALNUM)).map(([a, mid, z]) => `${a}${mid.join('')}${z}`),
);
const validState = fc.tuple(
  fc.array(charFrom(UPPER), { minLength: 2, maxLength: 2 }),
  fc.option(fc.array(charFrom(`${UPPER}0123456789`), { minLength: 1, maxLength: 3 }), { nil: undefined }),
).map(([country, sub]) => (sub ? `${country.join('')}-${sub.join('')}` : country.join('')));
const specialty = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter((s) => s.trim().length > 0);
const validSpecialties = fc.uniqueArray(specialty, { maxLength: 20, selector: (s) => s.trim().toLowerCase() })
  .map((list) => JSON.stringify(list))
  .filter((json) => json.length <= 2048);

const VALID: Record<string, fc.Arbitrary<string>> = {
  [NPI]: validNpi,
  [CLINIC]: fc.uuid().filter(uuidOracle),
  [ROLE]: fc.constantFrom(...ROLES),
  [LANGUAGE]: fc.constantFrom('ar', 'fr', 'en'),
  [SPECIALTIES]: validSpecialties,
  [LICENSE]: validLicense,
  [STATE]: validState,
};

const INVALID: Record<string, fc.Arbitrary<string>> = {
  [NPI]: fc.oneof(
    validNpi.map((npi) => `${npi.slice(0, 9)}${(Number(npi[9]) + 1) % 10}`),
    validNpi.map((npi) => npi.slice(0, 9)),
    fc.string(),
  ).filter((v) => !npiOracle(v)),
  [CLINIC]: fc.oneof(
    fc.uuid().map((u) => u.toUpperCase()),
    fc.constant('00000000-0000-0000-0000-000000000000'),
    fc.uuid().map((u) => u.replace(/-/g, '')),
    fc.string(),
  ).filter((v) => !uuidOracle(v)),
  [ROLE]: fc.oneof(fc.constantFrom('Physician', 'admin', 'doctor', ''), fc.string()).filter((v) => !ROLES.includes(v)),
  [LANGUAGE]: fc.oneof(fc.constantFrom('AR', 'fr-FR', 'de', 'english', ''), fc.string()).filter((v) => !['ar', 'fr', 'en'].includes(v)),
  [SPECIALTIES]: fc.oneof(
    fc.constantFrom('Cardiology', '{"a":1}', '"Cardiology"', '[1,2]', '[""]', '["  "]', '["Cardiology"," cardiology "]', '[null]'),
    fc.array(specialty, { minLength: 21, maxLength: 25 }).map((list) => JSON.stringify(list)),
    fc.constant(JSON.stringify(['x'.repeat(2100)])),
    fc.string(),
  ).filter((v) => !specialtiesOracle(v)),
  [LICENSE]: fc.oneof(
    fc.constantFrom('', ' LIC1', 'LIC1 ', 'LIC#1', 'LIC_1', 'LICé1', '-LIC'),
    validLicense.map((l) => l.padEnd(65, 'X')),
    fc.string(),
  ).filter((v) => !licenseOracle(v)),
  [STATE]: fc.oneof(fc.constantFrom('fr', 'USA', 'US-', 'US-CALI', 'U-S', 'us-ca', 'FR-75-01'), fc.string()).filter((v) => !stateOracle(v)),
};

const ATTRIBUTES = Object.keys(ORACLES);

// ---- Example-based rules ----

describe('HealthcareAttributeValidator rules', () => {
  const physician = {
    [NPI]: '1234567893',
    [CLINIC]: '3b241101-e2bb-4255-8caf-4136c566a962',
    [ROLE]: 'physician',
    [LANGUAGE]: 'ar',
    [SPECIALTIES]: '["Cardiology","Internal medicine"]',
    [LICENSE]: 'MA-LIC/77215',
    [STATE]: 'MA-04',
  };

  test('a complete physician record is valid', () => {
    expect(HealthcareAttributeValidator.validate(physician)).toEqual([]);
  });

  test('NPI: 10 digits passing the Luhn check over prefix 80840', () => {
    expect(HealthcareAttributeValidator.isValidNpi('1234567893')).toBe(true);
    expect(HealthcareAttributeValidator.isValidNpi('1245319599')).toBe(true);
    expect(HealthcareAttributeValidator.isValidNpi('1234567890')).toBe(false);
    expect(HealthcareAttributeValidator.isValidNpi('123456789')).toBe(false);
    expect(HealthcareAttributeValidator.validate({ [NPI]: '1234567890' })).toEqual([expect.objectContaining({ attribute: NPI, code: 'NPI_CHECK_DIGIT' })]);
    expect(HealthcareAttributeValidator.validate({ [NPI]: '12345-7893' })).toEqual([expect.objectContaining({ attribute: NPI, code: 'NPI_FORMAT' })]);
  });

  test.each([
    [CLINIC, '3B241101-E2BB-4255-8CAF-4136C566A962', 'CLINIC_ID_FORMAT'],
    [CLINIC, '00000000-0000-0000-0000-000000000000', 'CLINIC_ID_FORMAT'],
    [ROLE, 'doctor', 'USER_ROLE_UNKNOWN'],
    [LANGUAGE, 'de', 'PREFERRED_LANGUAGE_UNSUPPORTED'],
    [SPECIALTIES, 'Cardiology', 'SPECIALTIES_NOT_JSON'],
    [SPECIALTIES, '{"first":"Cardiology"}', 'SPECIALTIES_NOT_JSON'],
    [SPECIALTIES, JSON.stringify(Array.from({ length: 21 }, (_, i) => `s${i}`)), 'SPECIALTIES_TOO_MANY'],
    [SPECIALTIES, '["Cardiology"," CARDIOLOGY"]', 'SPECIALTIES_DUPLICATE'],
    [SPECIALTIES, '["Cardiology","  "]', 'SPECIALTIES_EMPTY_OR_NOT_STRING'],
    [SPECIALTIES, JSON.stringify(['x'.repeat(2050)]), 'SPECIALTIES_TOO_LONG'],
    [LICENSE, 'LIC#77215', 'MEDICAL_LICENSE_FORMAT'],
    [LICENSE, 'L'.repeat(65), 'MEDICAL_LICENSE_FORMAT'],
    [STATE, 'California', 'LICENSE_STATE_FORMAT'],
  ])('%s %j is rejected with %s', (attribute, value, code) => {
    expect(HealthcareAttributeValidator.validate({ ...physician, [attribute]: value })).toEqual([expect.objectContaining({ attribute, code })]);
  });

  test('clinical roles must carry a license and an NPI; staff roles need not', () => {
    const { [LICENSE]: _license, [NPI]: _npi, ...withoutCredentials } = physician;
    expect(HealthcareAttributeValidator.validate({ ...withoutCredentials, [ROLE]: 'nurse' }).map((p) => p.code))
      .toEqual(['CLINICAL_ROLE_REQUIRES_LICENSE', 'CLINICAL_ROLE_REQUIRES_NPI']);
    expect(HealthcareAttributeValidator.validate({ ...withoutCredentials, [ROLE]: 'receptionist' })).toEqual([]);
    expect(HealthcareAttributeValidator.validate({ ...withoutCredentials, [ROLE]: 'clinic_admin' })).toEqual([]);
  });

  test('the default roles are clinic_admin, physician, nurse and receptionist; physician and nurse are clinical', () => {
    expect(HealthcareAttributeValidator.defaultRoles()).toEqual(['clinic_admin', 'physician', 'nurse', 'receptionist']);
    expect(HealthcareAttributeValidator.defaultClinicalRoles()).toEqual(['physician', 'nurse']);
    const roles = HealthcareAttributeValidator.defaultRoles();
    roles.push('intruder');
    expect(HealthcareAttributeValidator.defaultRoles()).not.toContain('intruder');
  });

  test('role names fit custom:user_role: 1-32 characters of a-z, 0-9 and _, unique', () => {
    const userRole = HealthcareAttributes.definitions().find((d) => d.name === 'user_role');
    expect(userRole?.maxLength).toBe(32);
    expect(HealthcareAttributeValidator.validateRoleNames(['a'.repeat(32)])).toEqual([]);
    expect(HealthcareAttributeValidator.validateRoleNames(['a'.repeat(33)])).toEqual(['role 1 must be 1-32 characters of a-z, 0-9 and _']);
    expect(HealthcareAttributeValidator.validateRoleNames([])).toEqual(['the role list must be a non-empty array of role names']);
    expect(HealthcareAttributeValidator.validateRoleNames(['physician', ''])).toEqual(['role 2 must be 1-32 characters of a-z, 0-9 and _']);
    expect(HealthcareAttributeValidator.validateRoleNames(['clinic-admin'])).toEqual(['role 1 must be 1-32 characters of a-z, 0-9 and _']);
    expect(HealthcareAttributeValidator.validateRoleNames(['nurse', 'nurse'])).toEqual(['role 2 repeats "nurse"; roles must be unique']);
  });

  test('configured clinical roles replace the defaults', () => {
    const midwife = { [ROLE]: 'midwife' };
    expect(HealthcareAttributeValidator.validate(midwife, ['midwife'])).toEqual([]);
    expect(HealthcareAttributeValidator.validate(midwife, ['midwife'], ['midwife']).map((p) => p.code))
      .toEqual(['CLINICAL_ROLE_REQUIRES_LICENSE', 'CLINICAL_ROLE_REQUIRES_NPI']);
    expect(HealthcareAttributeValidator.validate({ [ROLE]: 'physician' }, undefined, [])).toEqual([]);
  });

  test('configured roles replace the defaults', () => {
    expect(HealthcareAttributeValidator.validate({ [ROLE]: 'pharmacist' }, ['pharmacist', 'physician'])).toEqual([]);
    expect(HealthcareAttributeValidator.validate({ [ROLE]: 'receptionist' }, ['pharmacist'])).toEqual([
      expect.objectContaining({ code: 'USER_ROLE_UNKNOWN', message: 'custom:user_role must be one of: pharmacist.' }),
    ]);
    expect(HealthcareAttributeValidator.validate({ [ROLE]: 'physician' }, ['Physician'])).toEqual([
      expect.objectContaining({ code: 'CONFIGURED_ROLES_INVALID' }),
      expect.objectContaining({ code: 'USER_ROLE_UNKNOWN' }),
    ]);
  });

  test('every problem is reported at once, in one message, and no message repeats a value', () => {
    const bad = {
      [NPI]: '9999999999',
      [CLINIC]: 'clinic-zq81-not-uuid',
      [ROLE]: 'zq81-surgeon',
      [LANGUAGE]: 'zq81',
      [SPECIALTIES]: 'zq81-cardio',
      [LICENSE]: 'zq81 license!',
      [STATE]: 'zq81-state',
    };
    const problems = HealthcareAttributeValidator.validate(bad);
    expect(problems.map((p) => p.attribute)).toEqual([NPI, CLINIC, ROLE, LANGUAGE, SPECIALTIES, LICENSE, STATE]);
    const message = HealthcareAttributeValidator.describe(problems);
    expect(message).toMatch(/^The healthcare attributes were rejected \(7 problems\): \(1\) custom:npi_number .* \(7\) custom:license_state /);
    for (const value of Object.values(bad)) expect(message).not.toContain(value);
  });

  test('a non-string value or a non-object is a problem, never an exception', () => {
    expect(HealthcareAttributeValidator.validate({ [NPI]: 1234567893 } as unknown as Record<string, string>))
      .toEqual([expect.objectContaining({ attribute: NPI, code: 'NOT_A_STRING' })]);
    expect(HealthcareAttributeValidator.validate(null as unknown as Record<string, string>))
      .toEqual([expect.objectContaining({ code: 'ATTRIBUTES_NOT_AN_OBJECT' })]);
  });

  test('the specialties limit is the length the user pool allows for the attribute', () => {
    const definition = HealthcareAttributes.definitions().find((d) => d.name === 'specialties');
    expect(definition?.maxLength).toBe(2048);
    const fits = JSON.stringify(['x'.repeat(2044)]);
    expect(fits).toHaveLength(2048);
    expect(HealthcareAttributeValidator.validate({ [SPECIALTIES]: fits })).toEqual([]);
    expect(HealthcareAttributeValidator.validate({ [SPECIALTIES]: JSON.stringify(['x'.repeat(2045)]) })).toHaveLength(1);
  });

  test('docs/healthcare-attributes.md documents every rule, word for word', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'healthcare-attributes.md'), 'utf8');
    for (const { attribute, rule } of HealthcareAttributeValidator.rules()) {
      expect(readme).toContain(`| \`${attribute.replace(' and ', '` and `')}\` | ${rule} |`);
    }
  });
});

// ---- Properties ----

describe('HealthcareAttributeValidator properties', () => {
  test('never throws and always returns a list of problems, whatever it is given', () => {
    fc.assert(fc.property(fc.anything(), fc.option(fc.anything(), { nil: undefined }), (attributes, roles) => {
      const problems = HealthcareAttributeValidator.validate(attributes as Record<string, string>, roles as string[]);
      return Array.isArray(problems) && problems.every((p) => typeof p.attribute === 'string' && typeof p.code === 'string' && typeof p.message === 'string');
    }), { numRuns: 2000 });
  });

  test('never throws on records of healthcare attribute names to arbitrary values', () => {
    const record = fc.dictionary(fc.constantFrom(...ATTRIBUTES, '__proto__', 'constructor', 'email'), fc.anything());
    const validates = (attributes: unknown) => Array.isArray(HealthcareAttributeValidator.validate(attributes as Record<string, string>));
    fc.assert(fc.property(record, validates), { numRuns: 2000 });
  });

  test('valid attributes always pass', () => {
    const complete = fc.record(VALID);
    fc.assert(fc.property(complete, (attributes) => {
      expect(HealthcareAttributeValidator.validate(attributes)).toEqual([]);
    }), { numRuns: 1000 });
  });

  test('only valid input passes: exactly the invalid attributes are reported', () => {
    // Each attribute is absent, valid or invalid; clinical roles also need license and NPI present.
    const choice = (attribute: string) => fc.oneof(
      fc.constant(undefined),
      VALID[attribute].map((value) => ({ value, valid: true })),
      INVALID[attribute].map((value) => ({ value, valid: false })),
    );
    const record = fc.record(Object.fromEntries(ATTRIBUTES.map((a) => [a, choice(a)])));
    fc.assert(fc.property(record, (choices) => {
      const attributes: Record<string, string> = {};
      const expected = new Set<string>();
      for (const [attribute, chosen] of Object.entries(choices)) {
        if (!chosen) continue;
        attributes[attribute] = chosen.value;
        expect(ORACLES[attribute](chosen.value)).toBe(chosen.valid);
        if (!chosen.valid) expected.add(attribute);
      }
      const role = attributes[ROLE];
      if (role === 'physician' || role === 'nurse') {
        if (attributes[LICENSE] === undefined) expected.add(LICENSE);
        if (attributes[NPI] === undefined) expected.add(NPI);
      }
      const problems = HealthcareAttributeValidator.validate(attributes);
      expect(new Set(problems.map((p) => p.attribute))).toEqual(expected);
      expect(problems.length === 0).toBe(expected.size === 0);
    }), { numRuns: 2000 });
  });

  test('changing any one digit of a valid NPI makes it invalid', () => {
    fc.assert(fc.property(validNpi, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (npi, position, delta) => {
      const changed = npi.slice(0, position) + String((Number(npi[position]) + delta) % 10) + npi.slice(position + 1);
      return !HealthcareAttributeValidator.isValidNpi(changed);
    }), { numRuns: 1000 });
  });
});
