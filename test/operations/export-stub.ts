/*
 * A stub Cognito user pool, in-memory storage and a fake clock for the exporter and restore tests.
 * The stub pages like Cognito (at most 60 per page), throttles on request, and records every call
 * with the fake time it was made at.
 */
import { ClockPort, CognitoPort, StoragePort } from '../../src/operations/backup/user-exporter';

export interface StubUser {
  readonly username: string;
  readonly attributes: Record<string, string>;
  readonly enabled: boolean;
  readonly status: string;
  readonly groups: string[];
}

export const GROUPS = [
  { name: 'clinic_admin', description: 'Administers one clinic', precedence: 10 },
  { name: 'physician', description: 'Treats patients', precedence: 20 },
  { name: 'nurse', description: 'Cares for patients', precedence: 30 },
];

/** `count` users with valid healthcare attributes; some disabled, some unverified, some in several groups. */
export function makeUsers(count: number): StubUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(4, '0');
    const sub = `00000000-0000-4000-8000-00000000${n}`;
    return {
      username: sub,
      enabled: i % 17 !== 5,
      status: i % 23 === 7 ? 'FORCE_CHANGE_PASSWORD' : 'CONFIRMED',
      groups: [GROUPS[i % 3].name, ...(i % 10 === 0 ? ['nurse'] : [])].filter((g, idx, all) => all.indexOf(g) === idx),
      attributes: {
        'sub': sub,
        'email': `User${n}@Clinic-${i % 4}.example`,
        'email_verified': i % 31 === 30 ? 'false' : 'true',
        'given_name': i % 2 ? 'Amina' : 'Élodie',
        'family_name': `Test, ${n}`,
        'locale': i % 2 ? 'ar' : 'fr',
        'custom:clinic_id': `11111111-2222-4333-8444-5555555${String(i % 5).padStart(5, '0')}`,
        'custom:user_role': GROUPS[i % 3].name,
        'custom:preferred_language': i % 2 ? 'ar' : 'fr',
        'custom:specialties': '["cardiology","general practice"]',
        'custom:npi_number': '1234567893',
        // Physicians and nurses carry a licence, as PreSignUp requires of clinical roles.
        'custom:medical_license': `MA-LIC-${n}`,
      },
    };
  });
}

export interface StubOptions {
  /** Throttle the calls whose 1-based sequence numbers are listed. */
  readonly throttleCalls?: number[];
  /** Error thrown for a throttled call. */
  readonly throttleError?: () => Error;
}

export class StubCognito implements CognitoPort {
  public readonly calls: { op: string; at: number; throttled: boolean }[] = [];
  private seq = 0;
  private readonly members = new Map<string, StubUser[]>();

  constructor(private readonly users: StubUser[], private readonly clock: FakeClock, private readonly options: StubOptions = {}) {}

  public async listUsers(input: { UserPoolId: string; Limit: number; PaginationToken?: string }) {
    this.record('ListUsers');
    const start = input.PaginationToken ? Number(input.PaginationToken.replace('users-', '')) : 0;
    const page = this.users.slice(start, start + Math.min(input.Limit, 60));
    const next = start + page.length;
    return {
      Users: page.map((u) => ({
        Username: u.username,
        Enabled: u.enabled,
        UserStatus: u.status,
        UserCreateDate: new Date('2025-01-02T03:04:05Z'),
        UserLastModifiedDate: new Date('2025-06-07T08:09:10Z'),
        Attributes: Object.entries(u.attributes).map(([Name, Value]) => ({ Name, Value })),
      })),
      PaginationToken: next < this.users.length ? `users-${next}` : undefined,
    };
  }

  public async listGroups(input: { UserPoolId: string; Limit: number; NextToken?: string }) {
    this.record('ListGroups');
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const page = GROUPS.slice(start, start + 2); // small pages so that group paging is exercised
    return {
      Groups: page.map((g) => ({ GroupName: g.name, Description: g.description, Precedence: g.precedence })),
      NextToken: start + 2 < GROUPS.length ? String(start + 2) : undefined,
    };
  }

  public async listUsersInGroup(input: { UserPoolId: string; GroupName: string; Limit: number; NextToken?: string }) {
    this.record('ListUsersInGroup');
    if (!this.members.has(input.GroupName)) this.members.set(input.GroupName, this.users.filter((u) => u.groups.includes(input.GroupName)));
    const members = this.members.get(input.GroupName)!;
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const page = members.slice(start, start + Math.min(input.Limit, 60));
    return {
      Users: page.map((u) => ({ Username: u.username, Attributes: [{ Name: 'sub', Value: u.attributes.sub }] })),
      NextToken: start + page.length < members.length ? String(start + page.length) : undefined,
    };
  }

  private record(op: string): void {
    this.seq++;
    const throttled = this.options.throttleCalls?.includes(this.seq) ?? false;
    this.calls.push({ op, at: this.clock.now(), throttled });
    if (throttled) {
      throw this.options.throttleError?.() ?? Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    }
  }
}

export class FakeClock implements ClockPort {
  public slept = 0;
  constructor(public time = Date.parse('2026-03-01T03:00:00Z')) {}
  public now(): number { return this.time; }
  public async sleep(ms: number): Promise<void> {
    this.time += ms;
    this.slept += ms;
  }
}

export class MemoryStorage implements StoragePort {
  public readonly objects = new Map<string, string>();
  public async put(key: string, body: string): Promise<void> { this.objects.set(key, body); }
}
