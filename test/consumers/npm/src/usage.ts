// The README's Usage section, verbatim, as a consumer writes it after `npm install @medflow/cognito-construct`.
import { App, Stack } from 'aws-cdk-lib';
import { EmailSender, EnvironmentPreset, MedflowCognito } from '@medflow/cognito-construct';

const stack = new Stack(new App(), 'MedflowAuthProd');
const auth = new MedflowCognito(stack, 'Auth', {
  preset: EnvironmentPreset.prod(),
  email: EmailSender.ses({ fromAddress: 'no-reply@clinic.example' }),
});
// (end of the README's Usage)

import { checkInstalledVersions, checkProdStack } from './checks';

checkInstalledVersions();
checkProdStack(stack.node.root as App, stack);
if (!auth.userPool.userPoolId) throw new Error('MedflowCognito exposes no user pool');
console.log('usage: the README Usage synthesized');
