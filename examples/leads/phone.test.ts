import { ToolError } from 'switchboard-mcp';
import { describe, expect, it } from 'vitest';
import { toE164 } from './phone.js';

describe('toE164', () => {
  it.each([
    ['(415) 555-0123', '+14155550123'],
    ['415.555.0123', '+14155550123'],
    ['415 555 0123', '+14155550123'],
    ['1-415-555-0123', '+14155550123'],
    ['+1 415 555 0123', '+14155550123'],
    ['011 44 20 7946 0018', '+442079460018'],
    ['tel:+14155550123', '+14155550123'],
    ['  +14155550123  ', '+14155550123'],
    ['415-555-0123 ext. 42', '+14155550123'],
    ['+44 20 7946 0018', '+442079460018'],
    ['+1 (416) 555-0199', '+14165550199'],
  ])('reads %s as %s', (input, expected) => {
    expect(toE164(input)).toBe(expected);
  });

  it('reads a number without a country code in the country given', () => {
    expect(toE164('020 7946 0018', 'GB')).toBe('+442079460018');
    expect(toE164('020 7946 0018', 'gb')).toBe('+442079460018');
  });

  it.each([
    ['12345', 'too few digits'],
    ['hello', 'contains no phone number'],
    ['', 'contains no phone number'],
    ['+1 415 555 0123 4567 89', 'too many digits'],
    ['(123) 555-0123', 'no US number starts like that'],
  ])('refuses %j with a ToolError that says what is expected (%s)', (input, reason) => {
    const error = (() => {
      try {
        toE164(input);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toContain('"phone" must be');
    expect((error as Error).message).toContain('+1 415 555 0123');
    expect((error as Error).message).toContain(reason);
  });

  it('refuses an unknown country, naming the field', () => {
    expect(() => toE164('415 555 0123', 'XX')).toThrow(/"country" must be an ISO 3166 two-letter country code/);
  });
});
