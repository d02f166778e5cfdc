/*
 * CustomMessage: sends each message in the user's language (custom:preferred_language: ar, fr,
 * or English for anything else), keeping Cognito's placeholders.
 */
import { MessageKind, TRIGGER_SOURCE_KINDS, renderMessage, resolveLanguage } from './message-templates';
import {
  InvalidTriggerEventError, LineWriter, TriggerLogger, requireCognitoEvent, withFailureLogging,
} from '../shared/trigger-log';
import { UserHashFunction } from '../shared/user-hash';

export const CUSTOM_MESSAGE_SOURCES = Object.keys(TRIGGER_SOURCE_KINDS);

export interface CustomMessageHandlerDeps {
  readonly write?: LineWriter;
  /** The logged hash of a user: the keyed hash (user-hash.ts), never the username. */
  readonly userHash: UserHashFunction;
}

export function createCustomMessageHandler(deps: CustomMessageHandlerDeps): (event: unknown) => Promise<unknown> {
  const logger = new TriggerLogger('CustomMessage', deps.write);
  return (event) => withFailureLogging(logger, (event as { triggerSource?: unknown } | undefined)?.triggerSource, async () => {
    const e = requireCognitoEvent('CustomMessage', event, CUSTOM_MESSAGE_SOURCES);
    const kind: MessageKind = TRIGGER_SOURCE_KINDS[e.triggerSource];
    const code = e.request.codeParameter;
    if (typeof code !== 'string' || code === '') {
      throw new InvalidTriggerEventError('CustomMessage', 'request.codeParameter is missing or empty', 'the code placeholder Cognito sends with every message');
    }
    const username = e.request.usernameParameter;
    if (kind === 'invitation' && (typeof username !== 'string' || username === '')) {
      throw new InvalidTriggerEventError('CustomMessage', 'request.usernameParameter is missing or empty',
        'the username placeholder Cognito sends with CustomMessage_AdminCreateUser');
    }
    const attributes = e.request.userAttributes as Record<string, unknown> | undefined;
    const language = resolveLanguage(attributes?.['custom:preferred_language']);
    const rendered = renderMessage(language, kind, { code, username: kind === 'invitation' ? username as string : undefined });
    Object.assign(e.response, rendered);
    const userHash = await deps.userHash(e.userPoolId, e.userName);
    logger.info('message_rendered', { userHash, triggerSource: e.triggerSource });
    return event;
  });
}
