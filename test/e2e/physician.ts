/*
 * The physician every rehearsal creates: all seven healthcare attributes with values the PreSignUp
 * validator accepts (a valid NPI check digit, a UUID clinic, a known role and language).
 */

/** A test-only password that meets every preset's policy. */
export const REHEARSAL_PASSWORD = 'Rehearsal-Passw0rd!';

/** The seven healthcare attributes of a physician at clinic one. */
export const PHYSICIAN_ATTRIBUTES: Readonly<Record<string, string>> = {
  'custom:npi_number': '1234567893',
  'custom:clinic_id': '3b241101-e2bb-4255-8caf-4136c566a962',
  'custom:user_role': 'physician',
  'custom:preferred_language': 'fr',
  'custom:specialties': '["Cardiologie"]',
  'custom:medical_license': 'MA-LIC-77215',
  'custom:license_state': 'MA-04',
};
