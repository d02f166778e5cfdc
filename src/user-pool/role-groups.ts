import { aws_cognito as cognito } from 'aws-cdk-lib';
import { HealthcareRole } from '../identity/healthcare-roles';

/** One user pool group per healthcare role, named after it, with its precedence. */
export function addRoleGroups(userPool: cognito.UserPool, roles: HealthcareRole[]): void {
  for (const role of roles) {
    userPool.addGroup(`Group-${role.name}`, {
      groupName: role.name,
      precedence: role.precedence,
      // No group role: the identity pool picks IAM roles by the custom:user_role claim, not by group.
      description: role.description,
    });
  }
}
