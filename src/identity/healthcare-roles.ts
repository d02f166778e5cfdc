import { MedflowScope } from './medflow-scopes';

/**
 * What a role may do with a clinic's documents in the documents bucket.
 */
export enum DocumentAccess {
  /** No access. */
  NONE = 'NONE',
  /** Read objects. */
  READ = 'READ',
  /** Read and write objects (never delete: clinical records are retained). */
  READ_WRITE = 'READ_WRITE',
}

/** Options for a custom healthcare role. */
export interface HealthcareRoleOptions {
  /** The value `custom:user_role` holds and the user pool group name: `[a-z0-9_]+`, at most 32 characters. */
  readonly name: string;
  /** Group precedence: lower wins when a user is in several groups (0 or more). */
  readonly precedence: number;
  /** Human-readable description of the role. */
  readonly description: string;
  /** OAuth scopes of the `medflow` resource server the role's access tokens may carry. */
  readonly scopes: MedflowScope[];
  /**
   * Access to `clinics/<clinic_id>/clinical/*` in the documents bucket.
   * @default DocumentAccess.NONE
   */
  readonly clinicalDocuments?: DocumentAccess;
  /**
   * Access to `clinics/<clinic_id>/admin/*` in the documents bucket.
   * @default DocumentAccess.NONE
   */
  readonly administrativeDocuments?: DocumentAccess;
  /**
   * Whether the role is clinical: clinical roles must carry a medical license and an NPI.
   * @default false
   */
  readonly clinical?: boolean;
}

/**
 * A healthcare role: a `custom:user_role` value with its user pool group, OAuth scopes and
 * document access. Use the static defaults or `HealthcareRole.custom()`.
 */
export class HealthcareRole {
  /** Runs the clinic: staff, settings and the appointment book; administrative documents only. */
  public static readonly CLINIC_ADMIN = new HealthcareRole({
    name: 'clinic_admin',
    precedence: 10,
    description: 'Clinic administrator: manages staff, settings and the appointment book.',
    scopes: [MedflowScope.ADMIN, MedflowScope.APPOINTMENTS_READ, MedflowScope.APPOINTMENTS_WRITE],
    administrativeDocuments: DocumentAccess.READ_WRITE,
  });

  /** Treats patients: reads and writes patient records and clinical documents. */
  public static readonly PHYSICIAN = new HealthcareRole({
    name: 'physician',
    precedence: 20,
    description: 'Physician: reads and writes patient records and clinical documents.',
    scopes: [MedflowScope.PATIENTS_READ, MedflowScope.PATIENTS_WRITE, MedflowScope.APPOINTMENTS_READ, MedflowScope.APPOINTMENTS_WRITE],
    clinicalDocuments: DocumentAccess.READ_WRITE,
    administrativeDocuments: DocumentAccess.READ,
    clinical: true,
  });

  /** Cares for patients: reads and writes patient records and clinical documents, reads the appointment book. */
  public static readonly NURSE = new HealthcareRole({
    name: 'nurse',
    precedence: 30,
    description: 'Nurse: reads and writes patient records and clinical documents, reads the appointment book.',
    scopes: [MedflowScope.PATIENTS_READ, MedflowScope.PATIENTS_WRITE, MedflowScope.APPOINTMENTS_READ],
    clinicalDocuments: DocumentAccess.READ_WRITE,
    clinical: true,
  });

  /** Front desk: the appointment book and administrative documents, never clinical records. */
  public static readonly RECEPTIONIST = new HealthcareRole({
    name: 'receptionist',
    precedence: 40,
    description: 'Receptionist: manages the appointment book and administrative documents, never clinical records.',
    scopes: [MedflowScope.APPOINTMENTS_READ, MedflowScope.APPOINTMENTS_WRITE],
    administrativeDocuments: DocumentAccess.READ_WRITE,
  });

  /** The default roles, in precedence order. */
  public static defaults(): HealthcareRole[] {
    return [HealthcareRole.CLINIC_ADMIN, HealthcareRole.PHYSICIAN, HealthcareRole.NURSE, HealthcareRole.RECEPTIONIST];
  }

  /** A role of your own. Its name is validated when `MedflowCognito` uses it. */
  public static custom(options: HealthcareRoleOptions): HealthcareRole {
    return new HealthcareRole(options);
  }

  /** The `custom:user_role` value and group name. */
  public readonly name: string;
  /** Group precedence. */
  public readonly precedence: number;
  /** Description. */
  public readonly description: string;
  /** OAuth scopes of the `medflow` resource server. */
  public readonly scopes: MedflowScope[];
  /** Access to clinical documents. */
  public readonly clinicalDocuments: DocumentAccess;
  /** Access to administrative documents. */
  public readonly administrativeDocuments: DocumentAccess;
  /** Whether the role is clinical (license and NPI required). */
  public readonly clinical: boolean;

  private constructor(options: HealthcareRoleOptions) {
    this.name = options.name;
    this.precedence = options.precedence;
    this.description = options.description;
    this.scopes = [...options.scopes];
    this.clinicalDocuments = options.clinicalDocuments ?? DocumentAccess.NONE;
    this.administrativeDocuments = options.administrativeDocuments ?? DocumentAccess.NONE;
    this.clinical = options.clinical ?? false;
  }
}
