/**
 * One document's https URL per MedFlow language. Give at least one.
 *
 * Managed login is localized into English and French but not Arabic, so Arabic-speaking users
 * see the document Cognito shows by default: the `ar` URL when given, otherwise `en`, otherwise `fr`.
 */
export interface LocalizedUrl {
  /**
   * The English document.
   * @default - none; English-speaking users get the default document
   */
  readonly en?: string;
  /**
   * The French document.
   * @default - none; French-speaking users get the default document
   */
  readonly fr?: string;
  /**
   * The Arabic document, which becomes the default document for every language without its own.
   * @default - none
   */
  readonly ar?: string;
}
