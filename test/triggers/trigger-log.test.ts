import { TriggerLogger } from '../../src/triggers/shared/trigger-log';

describe('TriggerLogger.metric', () => {
  afterEach(() => jest.restoreAllMocks());

  test('writes one EMF line: the metric block, the pool ID, a count of 1, the trigger, then the log fields, in that order', () => {
    jest.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    const lines: string[] = [];
    new TriggerLogger('PreAuthentication', (line) => lines.push(line))
      .metric('AccountLocked', 'eu-west-3_Pool', { userHash: 'ab12', failureMode: 'FAIL_OPEN' });
    expect(lines).toEqual([
      '{"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"MedFlow/Cognito","Dimensions":[["UserPoolId"]],'
      + '"Metrics":[{"Name":"AccountLocked","Unit":"Count"}]}]},"UserPoolId":"eu-west-3_Pool","AccountLocked":1,'
      + '"trigger":"PreAuthentication","userHash":"ab12","failureMode":"FAIL_OPEN"}',
    ]);
  });

  test('without log fields the line ends with the trigger', () => {
    jest.spyOn(Date, 'now').mockReturnValue(1_700_000_000_001);
    const lines: string[] = [];
    new TriggerLogger('PreSignUp', (line) => lines.push(line)).metric('SignUpRejected', 'eu-west-3_Pool');
    expect(lines).toEqual([
      '{"_aws":{"Timestamp":1700000000001,"CloudWatchMetrics":[{"Namespace":"MedFlow/Cognito","Dimensions":[["UserPoolId"]],'
      + '"Metrics":[{"Name":"SignUpRejected","Unit":"Count"}]}]},"UserPoolId":"eu-west-3_Pool","SignUpRejected":1,"trigger":"PreSignUp"}',
    ]);
  });
});
