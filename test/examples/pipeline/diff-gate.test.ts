import { findDangerousChanges } from '../../../examples/pipeline/diff-gate';

const color = (text: string) => `\u001b[31m\u001b[1m${text}\u001b[22m\u001b[39m`;

describe('diff gate', () => {
  test('passes updates, creations and changes to other resource types', () => {
    const diff = [
      'Stack Staging-MedflowAuth',
      'Resources',
      '[~] AWS::Cognito::UserPool Auth/UserPool AuthUserPool6BA7E5F2 ',
      ' └─ [~] MfaConfiguration',
      '[+] AWS::Cognito::UserPoolClient Auth/UserPool/CanaryClient AuthUserPoolCanaryClient1234ABCD ',
      '[~] AWS::Cognito::UserPoolClient Auth/UserPool/AppClient AuthUserPoolAppClient5678 replace',
      '[+] AWS::Cognito::IdentityPool Auth/Identity/IdentityPool AuthIdentityIdentityPool53769ABC ',
    ].join('\n');
    expect(findDangerousChanges(diff)).toEqual([]);
  });

  test('fails on a replaced or possibly replaced pool, a destroyed domain, an orphaned or removed identity pool', () => {
    const diff = [
      `[~] AWS::Cognito::UserPool Auth/UserPool AuthUserPool6BA7E5F2 ${color('replace')}`,
      ' └─ [~] UsernameAttributes (requires replacement)',
      '[~] AWS::Cognito::UserPoolDomain Auth/UserPool/Domain AuthUserPoolDomain31C6792A may be replaced',
      '[-] AWS::Cognito::UserPoolDomain Auth/UserPool/OldDomain AuthUserPoolOldDomain1 destroy',
      '[-] AWS::Cognito::IdentityPool Auth/Identity/IdentityPool AuthIdentityIdentityPool53769ABC orphan (OR move to Other.X via refactoring)',
      '[-] AWS::Cognito::IdentityPool Auth/Other AuthOther1',
    ].join('\n');
    expect(findDangerousChanges(diff)).toEqual([
      { resourceType: 'AWS::Cognito::UserPool', resource: 'Auth/UserPool AuthUserPool6BA7E5F2', impact: 'replace' },
      { resourceType: 'AWS::Cognito::UserPoolDomain', resource: 'Auth/UserPool/Domain AuthUserPoolDomain31C6792A', impact: 'may be replaced' },
      { resourceType: 'AWS::Cognito::UserPoolDomain', resource: 'Auth/UserPool/OldDomain AuthUserPoolOldDomain1', impact: 'destroy' },
      { resourceType: 'AWS::Cognito::IdentityPool', resource: 'Auth/Identity/IdentityPool AuthIdentityIdentityPool53769ABC', impact: 'orphan' },
      { resourceType: 'AWS::Cognito::IdentityPool', resource: 'Auth/Other AuthOther1', impact: 'remove' },
    ]);
  });
});
