import { Match } from 'aws-cdk-lib/assertions';
import { construct, synthesize } from '../helpers';

describe('device tracking per preset', () => {
  test.each(['staging', 'prod'] as const)('%s remembers a device only when the user opts in, and challenges a new device', (preset) => {
    synthesize(preset).template.hasResourceProperties('AWS::Cognito::UserPool', {
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    });
  });

  test('dev remembers no device (no DeviceConfiguration at all)', () => {
    synthesize('dev').template.hasResourceProperties('AWS::Cognito::UserPool', { DeviceConfiguration: Match.absent() });
  });

  test('the prop replaces the preset\'s choice', () => {
    synthesize('prod', { deviceTracking: { challengeRequiredOnNewDevice: false, deviceOnlyRememberedOnUserPrompt: true } })
      .template.hasResourceProperties('AWS::Cognito::UserPool', {
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true },
      });
  });

  test('a remembered device standing in for MFA is refused where MFA is off', () => {
    expect(() => construct('dev', { deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true } }))
      .toThrow(/invalid deviceTracking\.challengeRequiredOnNewDevice true; allowed: false where MFA is off/);
    expect(() => construct('dev', { deviceTracking: { challengeRequiredOnNewDevice: false, deviceOnlyRememberedOnUserPrompt: true } }))
      .not.toThrow();
  });

  test('turning MFA off keeps the preset\'s setting, which then has no effect, instead of failing', () => {
    synthesize('staging', { enableMfa: false }).template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OFF',
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    });
  });
});
