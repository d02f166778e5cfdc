/* The restore's Cognito calls through the AWS SDK, with the credentials of the shell running it. */
import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  GetUserPoolMfaConfigCommand,
  ListGroupsCommand,
  ListUsersCommand,
  StartUserImportJobCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ImportJobStatus, RestorePort } from './apply';
import { PoolMfa } from './plan';

/** ListUsers shares the 30 RPS UserList quota with the application; the restore stays at 5. */
const LIST_INTERVAL_MS = 200;

export function awsRestorePort(region?: string): RestorePort {
  const client = new CognitoIdentityProviderClient({ region });
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return {
    async getCsvHeader(userPoolId) {
      const out = await client.send(new GetCSVHeaderCommand({ UserPoolId: userPoolId }));
      return out.CSVHeader ?? [];
    },
    async getMfaConfiguration(userPoolId) {
      const out = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: userPoolId }));
      return (out.MfaConfiguration ?? 'OFF') as PoolMfa;
    },
    async hasUsers(userPoolId) {
      const out = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 1 }));
      return (out.Users ?? []).length > 0;
    },
    async listGroupNames(userPoolId) {
      const names: string[] = [];
      let NextToken: string | undefined;
      do {
        const out = await client.send(new ListGroupsCommand({ UserPoolId: userPoolId, Limit: 60, NextToken }));
        names.push(...(out.Groups ?? []).map((g) => g.GroupName ?? '').filter((n) => n));
        NextToken = out.NextToken;
      } while (NextToken);
      return names;
    },
    async createGroup(userPoolId, group) {
      await client.send(new CreateGroupCommand({
        UserPoolId: userPoolId, GroupName: group.name, Description: group.description, Precedence: group.precedence,
      }));
    },
    async createImportJob(userPoolId, jobName, roleArn) {
      const out = await client.send(new CreateUserImportJobCommand({ UserPoolId: userPoolId, JobName: jobName, CloudWatchLogsRoleArn: roleArn }));
      const job = out.UserImportJob;
      if (!job?.JobId || !job.PreSignedUrl) throw new Error('CreateUserImportJob returned no job ID or upload URL.');
      return { jobId: job.JobId, preSignedUrl: job.PreSignedUrl };
    },
    async uploadCsv(preSignedUrl, body) {
      // Cognito's pre-signed URL requires this header (Cognito developer guide, importing users).
      const response = await fetch(preSignedUrl, { method: 'PUT', body, headers: { 'x-amz-server-side-encryption': 'aws:kms' } });
      if (!response.ok) throw new Error(`Uploading the CSV failed with HTTP ${response.status}.`);
    },
    async startImportJob(userPoolId, jobId) {
      await client.send(new StartUserImportJobCommand({ UserPoolId: userPoolId, JobId: jobId }));
    },
    async describeImportJob(userPoolId, jobId): Promise<ImportJobStatus> {
      const job = (await client.send(new DescribeUserImportJobCommand({ UserPoolId: userPoolId, JobId: jobId }))).UserImportJob;
      return {
        status: job?.Status ?? 'Unknown',
        imported: job?.ImportedUsers ?? 0,
        skipped: job?.SkippedUsers ?? 0,
        failed: job?.FailedUsers ?? 0,
        message: job?.CompletionMessage,
      };
    },
    async listUsers(userPoolId) {
      const users: { username: string; sub: string; email?: string }[] = [];
      let PaginationToken: string | undefined;
      do {
        const out = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 60, PaginationToken }));
        for (const user of out.Users ?? []) {
          const attr = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
          if (user.Username && attr('sub')) users.push({ username: user.Username, sub: attr('sub')!, email: attr('email') });
        }
        PaginationToken = out.PaginationToken;
        if (PaginationToken) await sleep(LIST_INTERVAL_MS);
      } while (PaginationToken);
      return users;
    },
    async addUserToGroup(userPoolId, username, group) {
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }));
    },
    async disableUser(userPoolId, username) {
      await client.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: username }));
    },
  };
}
