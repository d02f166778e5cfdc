/*
 * Cognito trigger events in the shapes Cognito sends (see the "Lambda trigger parameters"
 * sections of the Amazon Cognito developer guide). Values are synthetic and distinctive so that
 * tests can prove none of them reaches a log line.
 */

export const USER_POOL_ID = 'eu-west-3_Tr1ggErs9';
export const CLIENT_ID = '5example0client0id0abc1234';
export const USERNAME = '7c1e9a52-4b0d-4f4e-9d3a-2f6c8e1b0a77';
export const EMAIL = 'dr.amina.benali@clinic-one.example';

/** Valid healthcare attributes of a physician; every value is distinctive. */
export const PHYSICIAN_ATTRIBUTES: Record<string, string> = {
  'sub': USERNAME,
  'email': EMAIL,
  'email_verified': 'true',
  'custom:npi_number': '1234567893',
  'custom:clinic_id': '3b241101-e2bb-4255-8caf-4136c566a962',
  'custom:user_role': 'physician',
  'custom:preferred_language': 'fr',
  'custom:specialties': '["Cardiologie","Médecine interne"]',
  'custom:medical_license': 'MA-LIC-77215',
  'custom:license_state': 'MA-04',
};

function common(triggerSource: string, userName: string) {
  return {
    version: '1',
    region: 'eu-west-3',
    userPoolId: USER_POOL_ID,
    userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: CLIENT_ID },
    triggerSource,
  };
}

export function preAuthenticationEvent(userName = USERNAME, userNotFound = false) {
  return {
    ...common('PreAuthentication_Authentication', userName),
    request: {
      userAttributes: userNotFound ? {} : { ...PHYSICIAN_ATTRIBUTES, 'cognito:user_status': 'CONFIRMED' },
      validationData: {},
      userNotFound,
    },
    response: {},
  };
}

export function postAuthenticationEvent(userName = USERNAME) {
  return {
    ...common('PostAuthentication_Authentication', userName),
    request: {
      userAttributes: { ...PHYSICIAN_ATTRIBUTES, 'cognito:user_status': 'CONFIRMED' },
      newDeviceUsed: false,
    },
    response: {},
  };
}

export const PRE_SIGN_UP_SOURCES = ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'];

export function preSignUpEvent(triggerSource: string, userAttributes: Record<string, string> = PHYSICIAN_ATTRIBUTES, userName = USERNAME) {
  return {
    ...common(triggerSource, userName),
    request: { userAttributes, validationData: null, clientMetadata: {} },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

export const CUSTOM_MESSAGE_SOURCES = [
  'CustomMessage_SignUp',
  'CustomMessage_AdminCreateUser',
  'CustomMessage_ResendCode',
  'CustomMessage_ForgotPassword',
  'CustomMessage_UpdateUserAttribute',
  'CustomMessage_VerifyUserAttribute',
  'CustomMessage_Authentication',
];

export function customMessageEvent(triggerSource: string, preferredLanguage?: string) {
  const userAttributes: Record<string, string> = { ...PHYSICIAN_ATTRIBUTES };
  if (preferredLanguage === undefined) delete userAttributes['custom:preferred_language'];
  else userAttributes['custom:preferred_language'] = preferredLanguage;
  return {
    ...common(triggerSource, USERNAME),
    request: {
      userAttributes,
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      usernameParameter: triggerSource === 'CustomMessage_AdminCreateUser' ? '{username}' : null,
      clientMetadata: {},
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
}

/** Collects the lines a handler writes. */
export function lineCollector(): { lines: string[]; write: (line: string) => void; records: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  return { lines, write: (line) => { lines.push(line); }, records: () => lines.map((l) => JSON.parse(l)) };
}
