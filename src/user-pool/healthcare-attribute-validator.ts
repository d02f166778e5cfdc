// No imports: the PreSignUp trigger bundles this module, so it stays free of aws-cdk-lib.

/** One reason a set of healthcare attributes is invalid. Never contains the attribute's value. */
export interface AttributeProblem {
  /** The attribute at fault, with its `custom:` prefix, for example `custom:npi_number`. */
  readonly attribute: string;
  /** A stable, machine-readable code, for example `NPI_CHECK_DIGIT`. */
  readonly code: string;
  /** What is wrong and what is allowed, in one sentence that never repeats the value. */
  readonly message: string;
}

/** One validation rule, as documented. */
export interface AttributeRule {
  /** The attribute, with its `custom:` prefix. */
  readonly attribute: string;
  /** The rule, in one sentence. */
  readonly rule: string;
}

const NPI = 'custom:npi_number';
const CLINIC_ID = 'custom:clinic_id';
const USER_ROLE = 'custom:user_role';
const LANGUAGE = 'custom:preferred_language';
const SPECIALTIES = 'custom:specialties';
const LICENSE = 'custom:medical_license';
const LICENSE_STATE = 'custom:license_state';

const NPI_PREFIX = '80840';
const SPECIALTIES_MAX_ITEMS = 20;
const SPECIALTIES_MAX_LENGTH = 2048;
const LICENSE_MAX_LENGTH = 64;
const LANGUAGES = ['ar', 'fr', 'en'];

// The role names of the library's default healthcare roles; a deployment passes its own list.
const DEFAULT_ROLES = ['clinic_admin', 'physician', 'nurse', 'receptionist'];
const DEFAULT_CLINICAL_ROLES = ['physician', 'nurse'];
const ROLE_PATTERN = /^[a-z0-9_]{1,32}$/;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
// Starts and ends with a letter or digit; inside, letters, digits, space, '.', '/' and '-'.
const LICENSE_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9 ./-]*[A-Za-z0-9])?$/;
// ISO 3166-1 alpha-2 country code, optionally with an ISO 3166-2 subdivision suffix.
const JURISDICTION_PATTERN = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;

const RULES: AttributeRule[] = [
  { attribute: NPI, rule: 'Exactly 10 digits whose last digit is the Luhn check digit computed over the prefix 80840 followed by the first 9 digits.' },
  { attribute: CLINIC_ID, rule: 'A lowercase UUID: 32 hexadecimal digits in groups of 8-4-4-4-12 separated by hyphens, not the nil UUID.' },
  { attribute: USER_ROLE, rule: 'One of the configured healthcare roles (by default clinic_admin, physician, nurse and receptionist).' },
  { attribute: LANGUAGE, rule: 'One of ar, fr or en.' },
  { attribute: SPECIALTIES, rule: `A JSON array of at most ${SPECIALTIES_MAX_ITEMS} strings, each non-empty after trimming and unique ignoring case and surrounding spaces, at most ${SPECIALTIES_MAX_LENGTH} characters in all.` },
  { attribute: LICENSE, rule: `1 to ${LICENSE_MAX_LENGTH} characters from A-Z, a-z, 0-9, space, period, slash and hyphen, starting and ending with a letter or digit.` },
  { attribute: LICENSE_STATE, rule: 'A jurisdiction code: an ISO 3166-1 alpha-2 country code (FR, MA, US) or an ISO 3166-2 subdivision code (US-CA, MA-04, DZ-16), in capitals.' },
  { attribute: `${LICENSE} and ${NPI}`, rule: 'Required when custom:user_role is a clinical role (by default physician and nurse); optional for every other role.' },
];

/**
 * Validates MedFlow's healthcare custom attributes. The PreSignUp trigger, the tests and the
 * documentation all use this one class.
 *
 * Attributes are given as Cognito names them (`custom:npi_number`). An absent attribute is not
 * checked, except that clinical roles must carry a license and an NPI. `validate` never throws.
 *
 * @example
 * const problems = HealthcareAttributeValidator.validate({ 'custom:npi_number': '1234567893' });
 */
export class HealthcareAttributeValidator {
  /** Most entries `custom:specialties` may hold. */
  public static readonly SPECIALTIES_MAX_ITEMS = SPECIALTIES_MAX_ITEMS;

  /**
   * Every problem with `attributes`, empty when they are valid.
   *
   * @param attributes attribute names (with the `custom:` prefix) to values
   * @param roles role names accepted in `custom:user_role`; defaults to `defaultRoles()`
   * @param clinicalRoles role names that must carry a license and an NPI; defaults to `defaultClinicalRoles()`
   */
  public static validate(attributes: Record<string, string>, roles?: string[], clinicalRoles?: string[]): AttributeProblem[] {
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
      return [problem('userAttributes', 'ATTRIBUTES_NOT_AN_OBJECT', 'The attributes must be an object of attribute names to string values.')];
    }
    const problems: AttributeProblem[] = [];
    const configuredRoles = roles === undefined ? DEFAULT_ROLES : roles;
    const configuredClinical = clinicalRoles === undefined ? DEFAULT_CLINICAL_ROLES : clinicalRoles;
    const roleListValid = roleNameProblems(configuredRoles, false).length === 0 && roleNameProblems(configuredClinical, true).length === 0;
    if (!roleListValid) {
      problems.push(problem(USER_ROLE, 'CONFIGURED_ROLES_INVALID',
        'The configured role list is invalid, so no role can be accepted; it must hold unique names of 1-32 characters of a-z, 0-9 and _.'));
    }

    const checks: [string, (value: string) => AttributeProblem | undefined][] = [
      [NPI, checkNpi],
      [CLINIC_ID, checkClinicId],
      [USER_ROLE, (value) => checkRole(value, roleListValid ? configuredRoles : [])],
      [LANGUAGE, checkLanguage],
      [SPECIALTIES, checkSpecialties],
      [LICENSE, checkLicense],
      [LICENSE_STATE, checkLicenseState],
    ];
    const present: Record<string, boolean> = {};
    for (const [attribute, check] of checks) {
      const value = ownValue(attributes, attribute);
      if (value === undefined) continue;
      present[attribute] = true;
      const found = typeof value === 'string'
        ? check(value)
        : problem(attribute, 'NOT_A_STRING', `${attribute} must be a string.`);
      if (found) problems.push(found);
    }

    const role = ownValue(attributes, USER_ROLE);
    if (typeof role === 'string' && roleListValid && configuredRoles.includes(role) && configuredClinical.includes(role)) {
      const clinical = `clinical roles (${configuredClinical.join(', ')})`;
      if (!present[LICENSE]) {
        problems.push(problem(LICENSE, 'CLINICAL_ROLE_REQUIRES_LICENSE', `${LICENSE} is required for ${clinical}.`));
      }
      if (!present[NPI]) {
        problems.push(problem(NPI, 'CLINICAL_ROLE_REQUIRES_NPI', `${NPI} is required for ${clinical}.`));
      }
    }
    return problems;
  }

  /** The role names of the default healthcare roles: clinic_admin, physician, nurse and receptionist. */
  public static defaultRoles(): string[] {
    return [...DEFAULT_ROLES];
  }

  /** The default clinical roles, which must carry `custom:medical_license` and `custom:npi_number`: physician and nurse. */
  public static defaultClinicalRoles(): string[] {
    return [...DEFAULT_CLINICAL_ROLES];
  }

  /**
   * Checks a list of role names: at least one; each 1-32 characters (the length of
   * `custom:user_role`) of `a-z`, `0-9` and `_`; no duplicates.
   *
   * @returns one sentence per problem, empty when the list is valid
   */
  public static validateRoleNames(roles: string[]): string[] {
    return roleNameProblems(roles, false);
  }

  /** Whether `npi` is a valid National Provider Identifier: 10 digits passing the Luhn check over prefix 80840. */
  public static isValidNpi(npi: string): boolean {
    return typeof npi === 'string' && /^[0-9]{10}$/.test(npi) && luhnValid(`${NPI_PREFIX}${npi}`);
  }

  /** One message listing every problem, for a rejected sign-up. */
  public static describe(problems: AttributeProblem[]): string {
    if (problems.length === 0) return 'The healthcare attributes are valid.';
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    return `The healthcare attributes were rejected (${count}): ${problems.map((p, i) => `(${i + 1}) ${p.message}`).join(' ')}`;
  }

  /** Every rule, as the README documents it. */
  public static rules(): AttributeRule[] {
    return RULES.map((rule) => ({ ...rule }));
  }

  private constructor() {}
}

function roleNameProblems(roles: unknown, allowEmpty: boolean): string[] {
  if (!Array.isArray(roles) || (roles.length === 0 && !allowEmpty)) {
    return ['the role list must be a non-empty array of role names'];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  roles.forEach((role: unknown, index) => {
    if (typeof role !== 'string' || !ROLE_PATTERN.test(role)) {
      problems.push(`role ${index + 1} must be 1-32 characters of a-z, 0-9 and _`);
    } else if (seen.has(role)) {
      problems.push(`role ${index + 1} repeats "${role}"; roles must be unique`);
    } else {
      seen.add(role);
    }
  });
  return problems;
}

function problem(attribute: string, code: string, message: string): AttributeProblem {
  return { attribute, code, message };
}

function ownValue(attributes: object, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(attributes, name) ? (attributes as Record<string, unknown>)[name] : undefined;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function checkNpi(value: string): AttributeProblem | undefined {
  if (!/^[0-9]{10}$/.test(value)) {
    return problem(NPI, 'NPI_FORMAT', `${NPI} must be exactly 10 digits.`);
  }
  if (!luhnValid(`${NPI_PREFIX}${value}`)) {
    return problem(NPI, 'NPI_CHECK_DIGIT', `${NPI} fails the Luhn check over the prefix ${NPI_PREFIX}; its last digit must be the check digit of the first 9.`);
  }
  return undefined;
}

function checkClinicId(value: string): AttributeProblem | undefined {
  if (!UUID_PATTERN.test(value) || value === NIL_UUID) {
    return problem(CLINIC_ID, 'CLINIC_ID_FORMAT', `${CLINIC_ID} must be a lowercase UUID (8-4-4-4-12 hexadecimal digits), not the nil UUID.`);
  }
  return undefined;
}

function checkRole(value: string, roles: string[]): AttributeProblem | undefined {
  if (!roles.includes(value)) {
    return problem(USER_ROLE, 'USER_ROLE_UNKNOWN', `${USER_ROLE} must be one of: ${roles.join(', ') || '(no valid roles configured)'}.`);
  }
  return undefined;
}

function checkLanguage(value: string): AttributeProblem | undefined {
  if (!LANGUAGES.includes(value)) {
    return problem(LANGUAGE, 'PREFERRED_LANGUAGE_UNSUPPORTED', `${LANGUAGE} must be one of: ${LANGUAGES.join(', ')}.`);
  }
  return undefined;
}

function checkSpecialties(value: string): AttributeProblem | undefined {
  const fail = (code: string, what: string) => problem(SPECIALTIES, code, `${SPECIALTIES} ${what}`);
  if (value.length > SPECIALTIES_MAX_LENGTH) {
    return fail('SPECIALTIES_TOO_LONG', `must be at most ${SPECIALTIES_MAX_LENGTH} characters.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return fail('SPECIALTIES_NOT_JSON', 'must be a JSON array of strings.');
  }
  if (!Array.isArray(parsed)) {
    return fail('SPECIALTIES_NOT_JSON', 'must be a JSON array of strings.');
  }
  if (parsed.length > SPECIALTIES_MAX_ITEMS) {
    return fail('SPECIALTIES_TOO_MANY', `must hold at most ${SPECIALTIES_MAX_ITEMS} entries.`);
  }
  const seen = new Set<string>();
  for (const entry of parsed) {
    if (typeof entry !== 'string' || entry.trim() === '') {
      return fail('SPECIALTIES_EMPTY_OR_NOT_STRING', 'entries must be non-empty strings.');
    }
    const normalized = entry.trim().toLowerCase();
    if (seen.has(normalized)) {
      return fail('SPECIALTIES_DUPLICATE', 'entries must be unique, ignoring case and surrounding spaces.');
    }
    seen.add(normalized);
  }
  return undefined;
}

function checkLicense(value: string): AttributeProblem | undefined {
  if (value.length < 1 || value.length > LICENSE_MAX_LENGTH || !LICENSE_PATTERN.test(value)) {
    return problem(LICENSE, 'MEDICAL_LICENSE_FORMAT',
      `${LICENSE} must be 1-${LICENSE_MAX_LENGTH} characters of A-Z, a-z, 0-9, space, period, slash and hyphen, starting and ending with a letter or digit.`);
  }
  return undefined;
}

function checkLicenseState(value: string): AttributeProblem | undefined {
  if (!JURISDICTION_PATTERN.test(value)) {
    return problem(LICENSE_STATE, 'LICENSE_STATE_FORMAT',
      `${LICENSE_STATE} must be a jurisdiction code: an ISO 3166-1 alpha-2 country code or an ISO 3166-2 subdivision code in capitals, such as FR, US-CA or MA-04.`);
  }
  return undefined;
}
