/**
 * The `medflow` resource server's scopes: the enum users name in roles and machine clients, and
 * the description Cognito shows for each, in one place.
 */

/**
 * OAuth scopes of the `medflow` resource server, one per clinic workflow.
 */
export enum MedflowScope {
  /** Read patient records. */
  PATIENTS_READ = 'patients.read',
  /** Create and update patient records. */
  PATIENTS_WRITE = 'patients.write',
  /** Read the appointment book. */
  APPOINTMENTS_READ = 'appointments.read',
  /** Book, move and cancel appointments. */
  APPOINTMENTS_WRITE = 'appointments.write',
  /** Administer the clinic: staff, settings, billing. */
  ADMIN = 'admin',
}

/** Identifier of the resource server that owns the scopes: access tokens carry `medflow/<scope>`. */
export const MEDFLOW_RESOURCE_SERVER = 'medflow';

/** What each scope allows, as the resource server describes it. */
export const SCOPE_DESCRIPTIONS: Record<MedflowScope, string> = {
  [MedflowScope.PATIENTS_READ]: 'Read patient records',
  [MedflowScope.PATIENTS_WRITE]: 'Create and update patient records',
  [MedflowScope.APPOINTMENTS_READ]: 'Read the appointment book',
  [MedflowScope.APPOINTMENTS_WRITE]: 'Book, move and cancel appointments',
  [MedflowScope.ADMIN]: 'Administer the clinic',
};

/** Every scope, in declaration order. */
export function allMedflowScopes(): MedflowScope[] {
  return Object.values(MedflowScope);
}
