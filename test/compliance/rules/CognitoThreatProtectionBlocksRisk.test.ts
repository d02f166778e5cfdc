import { Stack, aws_cognito as cognito } from 'aws-cdk-lib';
import { checkFixture, recordAs, ruleFindings } from './fixtures';

const RULE = 'CognitoThreatProtectionBlocksRisk';
const at = (finding: string, path = 'Fixture/Pool') => `${RULE}[${finding}] @ ${path}`;

type RiskConfiguration = Partial<cognito.CfnUserPoolRiskConfigurationAttachmentProps>;

function prodPool(stack: Stack, id = 'Pool', mode = 'ENFORCED'): cognito.CfnUserPool {
  return new cognito.CfnUserPool(stack, id, { userPoolName: `prod-${id.toLowerCase()}-users`, userPoolAddOns: { advancedSecurityMode: mode } });
}

/** The configuration the rule asks for: compromised credentials blocked on every event, high risk blocked. */
function riskConfiguration(
  stack: Stack, id: string, userPoolId: string, overrides: RiskConfiguration = {},
): cognito.CfnUserPoolRiskConfigurationAttachment {
  return new cognito.CfnUserPoolRiskConfigurationAttachment(stack, id, {
    userPoolId,
    clientId: 'ALL',
    compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' } },
    accountTakeoverRiskConfiguration: {
      actions: {
        lowAction: { eventAction: 'NO_ACTION', notify: false },
        mediumAction: { eventAction: 'MFA_IF_CONFIGURED', notify: true },
        highAction: { eventAction: 'BLOCK', notify: true },
      },
    },
    ...overrides,
  });
}

function highAction(eventAction: string): RiskConfiguration {
  return {
    accountTakeoverRiskConfiguration: {
      actions: { lowAction: { eventAction: 'NO_ACTION', notify: false }, highAction: { eventAction, notify: true } },
    },
  };
}

describe(RULE, () => {
  test('passes an enforced production pool whose pool-wide configuration blocks compromised credentials (all events) and high risk', () => {
    expect(ruleFindings(RULE, (s) => riskConfiguration(s, 'Risk', prodPool(s).ref))).toEqual([]);
  });

  test('passes an EventFilter that includes SIGN_IN, and a pool referenced by Fn::GetAtt', () => {
    expect(ruleFindings(RULE, (s) => riskConfiguration(s, 'Risk', prodPool(s).attrUserPoolId, {
      compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' }, eventFilter: ['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP'] },
    }))).toEqual([]);
  });

  test('flags a production pool without a risk configuration', () => {
    expect(ruleFindings(RULE, (s) => prodPool(s))).toEqual([at('RiskConfiguration')]);
  });

  test('flags a pool whose only risk configuration is for one app client', () => {
    expect(ruleFindings(RULE, (s) => {
      const pool = prodPool(s);
      const client = new cognito.CfnUserPoolClient(s, 'Client', { userPoolId: pool.ref });
      riskConfiguration(s, 'Risk', pool.ref, { clientId: client.ref });
    })).toEqual([at('RiskConfiguration')]);
  });

  test('flags a pool-wide configuration that takes no action on compromised credentials', () => {
    expect(ruleFindings(RULE, (s) => riskConfiguration(s, 'Risk', prodPool(s).ref, {
      compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'NO_ACTION' } },
    }))).toEqual([at('CompromisedCredentials')]);
  });

  test('flags a configuration without a compromised-credentials section', () => {
    expect(ruleFindings(RULE, (s) => riskConfiguration(s, 'Risk', prodPool(s).ref, { compromisedCredentialsRiskConfiguration: undefined })))
      .toEqual([at('CompromisedCredentials')]);
  });

  test('flags a compromised-credentials block whose EventFilter leaves out SIGN_IN', () => {
    expect(ruleFindings(RULE, (s) => riskConfiguration(s, 'Risk', prodPool(s).ref, {
      compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' }, eventFilter: ['PASSWORD_CHANGE', 'SIGN_UP'] },
    }))).toEqual([at('CompromisedCredentials')]);
  });

  test('flags a high-risk action that only requires MFA, and a configuration without a high-risk action', () => {
    expect(ruleFindings(RULE, (s) => riskConfiguration(s, 'Risk', prodPool(s).ref, highAction('MFA_REQUIRED')))).toEqual([at('HighRisk')]);
    expect(ruleFindings(RULE, (s) => riskConfiguration(s, 'Risk', prodPool(s).ref, { accountTakeoverRiskConfiguration: undefined })))
      .toEqual([at('HighRisk')]);
  });

  test('flags a pool that only audits, whatever its configuration says', () => {
    expect(ruleFindings(RULE, (s) => riskConfiguration(s, 'Risk', prodPool(s, 'Pool', 'AUDIT').ref))).toEqual([at('AdvancedSecurityMode')]);
  });

  test('flags an app client configuration that overrides a compliant pool-wide one with weaker actions', () => {
    expect(ruleFindings(RULE, (s) => {
      const pool = prodPool(s);
      riskConfiguration(s, 'Risk', pool.ref);
      const client = new cognito.CfnUserPoolClient(s, 'Client', { userPoolId: pool.ref });
      riskConfiguration(s, 'ClientRisk', pool.ref, { clientId: client.ref, compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'NO_ACTION' } } });
    })).toEqual([at('CompromisedCredentials')]);
  });

  test('a configuration of another pool in the stack does not count', () => {
    expect(ruleFindings(RULE, (s) => {
      prodPool(s, 'Pool');
      riskConfiguration(s, 'Risk', prodPool(s, 'Other').ref);
    })).toEqual([at('RiskConfiguration')]);
  });

  test('cannot tell which pool a configuration with a literal pool ID covers, and says so', () => {
    const findings = checkFixture((s) => {
      prodPool(s);
      riskConfiguration(s, 'Risk', 'eu-west-1_EXAMPLE');
    }).filter((f) => f.rule.includes(RULE));
    expect(findings).toEqual([{
      rule: `Medflow.Healthcare-${RULE}[Unresolved::Risk.UserPoolId]`,
      path: 'Fixture/Pool',
      description: expect.stringMatching(/could not be evaluated: .*names a user pool that is not a reference to a pool in this stack/),
    }]);
  });

  test('is not applicable to dev (synthetic) or staging (audit-only, not production) as the library records them', () => {
    expect(ruleFindings(RULE, (s) => {
      recordAs(new cognito.CfnUserPool(s, 'Dev', { userPoolName: 'dev-medflow-cognito-user-pool' }), false, 'synthetic');
      recordAs(new cognito.CfnUserPool(s, 'Staging', { userPoolName: 'prod-named-staging', userPoolAddOns: { advancedSecurityMode: 'AUDIT' } }), false, 'PHI');
    })).toEqual([]);
  });

  test('the library\'s production record decides over a name that says nothing', () => {
    expect(ruleFindings(RULE, (s) => recordAs(new cognito.CfnUserPool(s, 'Pool', { userPoolName: 'clinic-users' }), true, 'PHI')))
      .toEqual([at('RiskConfiguration'), at('AdvancedSecurityMode')].sort());
  });
});
