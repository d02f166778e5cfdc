import { CUSTOM_MESSAGE_SOURCES, customMessageEvent, lineCollector } from './events';
import { TEST_USER_HASH } from './user-hash-fixture';
import { createCustomMessageHandler } from '../../src/triggers/custom-message/custom-message-handler';
import { LANGUAGE_PACKS, TRIGGER_SOURCE_KINDS, renderMessage, resolveLanguage } from '../../src/triggers/custom-message/message-templates';

type Rendered = { response: { emailSubject: string; emailMessage: string; smsMessage: string } };

const handler = createCustomMessageHandler({ write: () => undefined, userHash: TEST_USER_HASH });
const LANGUAGES = Object.keys(LANGUAGE_PACKS);

describe('CustomMessage trigger', () => {
  test('Arabic, French and English are available, and every trigger source Cognito documents is handled', () => {
    expect(LANGUAGES.sort()).toEqual(['ar', 'en', 'fr']);
    expect(Object.keys(TRIGGER_SOURCE_KINDS).sort()).toEqual([...CUSTOM_MESSAGE_SOURCES].sort());
  });

  describe.each(CUSTOM_MESSAGE_SOURCES)('%s', (source) => {
    test.each(LANGUAGES)('%s keeps Cognito\'s placeholders in the email and the SMS', async (language) => {
      const { response } = await handler(customMessageEvent(source, language)) as Rendered;
      expect(response.emailMessage).toContain('{####}');
      expect(response.smsMessage).toContain('{####}');
      if (source === 'CustomMessage_AdminCreateUser') {
        expect(response.emailMessage).toContain('{username}');
        expect(response.smsMessage).toContain('{username}');
      }
      expect(response.emailSubject.length).toBeGreaterThan(0);
      expect(response.emailSubject.length).toBeLessThanOrEqual(140);
      expect(response.smsMessage.length).toBeLessThanOrEqual(140);
      expect(response.emailMessage.length).toBeLessThanOrEqual(20_000);
      expect(response.emailMessage).toContain(`<html lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}">`);
      expect(response.emailSubject).toBe(LANGUAGE_PACKS[language].messages[TRIGGER_SOURCE_KINDS[source]].subject);
    });
  });

  test('Arabic email is right-to-left and in Arabic', async () => {
    const { response } = await handler(customMessageEvent('CustomMessage_ForgotPassword', 'ar')) as Rendered;
    expect(response.emailMessage).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl">/);
    expect(response.emailMessage).toContain('text-align: right');
    expect(response.emailMessage).toContain('إعادة تعيين كلمة مرور');
    expect(response.emailMessage).toContain('<bdi dir="ltr">{####}</bdi>');
  });

  test('French email is in French', async () => {
    const { response } = await handler(customMessageEvent('CustomMessage_AdminCreateUser', 'fr')) as Rendered;
    expect(response.emailSubject).toBe('Votre compte MedFlow');
    expect(response.emailMessage).toContain('Mot de passe temporaire : <bdi dir="ltr">{####}</bdi>');
    expect(response.emailMessage).toContain('Nom d’utilisateur : <bdi dir="ltr">{username}</bdi>');
  });

  test.each([
    [undefined, 'en'], ['en', 'en'], ['fr', 'fr'], ['ar', 'ar'], ['FR', 'fr'], ['fr-CA', 'fr'], ['ar_MA', 'ar'],
    ['de', 'en'], ['', 'en'], ['constructor', 'en'], ['__proto__', 'en'],
  ])('custom:preferred_language %j selects %s', async (preferred, expected) => {
    expect(resolveLanguage(preferred)).toBe(expected);
    const { response } = await handler(customMessageEvent('CustomMessage_SignUp', preferred)) as Rendered;
    expect(response.emailSubject).toBe(LANGUAGE_PACKS[expected].messages.verification.subject);
  });

  test('the event\'s placeholder strings are used, whatever they are', () => {
    const rendered = renderMessage('en', 'invitation', { code: '{CODE}', username: '{USER}' });
    expect(rendered.emailMessage).toContain('Temporary password: <bdi dir="ltr">{CODE}</bdi>');
    expect(rendered.smsMessage).toBe('MedFlow account created. Username: {USER} Temporary password: {CODE}');
    expect(rendered.emailMessage).not.toContain('{####}');
  });

  test.each([
    ['an unknown triggerSource', { ...customMessageEvent('CustomMessage_SignUp', 'fr'), triggerSource: 'CustomMessage_Newsletter' }, /CustomMessage trigger received an invalid event: triggerSource "CustomMessage_Newsletter" is not handled\. Expected a Cognito CustomMessage event with triggerSource CustomMessage_SignUp or /],
    ['a missing codeParameter', (() => { const e = customMessageEvent('CustomMessage_SignUp', 'fr'); return { ...e, request: { ...e.request, codeParameter: undefined } }; })(), /request\.codeParameter is missing or empty/],
    ['an invitation without usernameParameter', (() => { const e = customMessageEvent('CustomMessage_AdminCreateUser', 'fr'); return { ...e, request: { ...e.request, usernameParameter: null } }; })(), /request\.usernameParameter is missing or empty/],
    ['a missing response', { ...customMessageEvent('CustomMessage_SignUp', 'fr'), response: undefined }, /response is missing or not an object/],
  ])('%s is a clear, logged error', async (_name, event, message) => {
    const log = lineCollector();
    await expect(createCustomMessageHandler({ write: log.write, userHash: TEST_USER_HASH })(event)).rejects.toThrow(message);
    expect(log.records()).toEqual([expect.objectContaining({ level: 'ERROR', trigger: 'CustomMessage', event: 'invalid_event' })]);
  });
});
