import { Duration, Token } from 'aws-cdk-lib';

/**
 * Prop checks that fail at synth with an error naming the prop, the bad value and what is allowed.
 */
export class PropValidator {
  /** An https URL with a host and no whitespace. */
  public static readonly HTTPS_URL = /^https:\/\/[^\s/]+(\/\S*)?$/;

  constructor(private readonly owner: string) {}

  /** A whole number between `min` and `max`, inclusive. */
  public integerInRange(prop: string, value: number, min: number, max: number): void {
    if (Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(prop, String(value), `a whole number from ${min} to ${max}`);
    }
  }

  /** A duration between `min` and `max`, inclusive, compared in minutes. */
  public durationInRange(prop: string, value: Duration, min: Duration, max: Duration): void {
    const minutes = value.toMinutes({ integral: false });
    if (minutes < min.toMinutes({ integral: false }) || minutes > max.toMinutes({ integral: false })) {
      this.fail(prop, value.toHumanString(), `from ${min.toHumanString()} to ${max.toHumanString()}`);
    }
  }

  /** A string matching `pattern`, described for humans by `allowed`. */
  public matches(prop: string, value: string, pattern: RegExp, allowed: string): void {
    if (Token.isUnresolved(value)) return;
    if (!pattern.test(value)) {
      this.fail(prop, JSON.stringify(value), allowed);
    }
  }

  /** A string that contains none of `words`. */
  public excludesWords(prop: string, value: string, words: string[]): void {
    if (Token.isUnresolved(value)) return;
    const found = words.filter((word) => value.toLowerCase().includes(word));
    if (found.length > 0) {
      this.fail(prop, JSON.stringify(value), `a value without the reserved word(s) ${words.map((w) => `"${w}"`).join(', ')} (found ${found.join(', ')})`);
    }
  }

  /** Throws the standard error for `prop`. */
  public fail(prop: string, value: string, allowed: string, hint?: string): never {
    throw new Error(`${this.owner}: invalid ${prop} ${value}; allowed: ${allowed}.${hint ? ` ${hint}` : ''}`);
  }
}
